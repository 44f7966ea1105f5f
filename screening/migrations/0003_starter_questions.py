"""Karigar's starter questions for backend engineers, shared by every company
(``company`` empty): the hiring guide's five sample questions, word for word, and a
dozen more across the focus attributes a technical and a final interview rate.

Companies read them in their question bank and put them in kits; they cannot edit
them (they write their own instead). Running this again adds only what is missing;
undoing it removes the starters no kit uses (a kit's question is never deleted).
"""

from django.db import migrations

# (focus, question, what a good answer covers)
STARTERS = [
    # The hiring guide's sample questions for backend engineers, verbatim.
    (
        "system_design",
        "Can you explain the difference between monolithic architecture and microservices?",
        "One deployable unit against many small services that each own their data and talk "
        "over the network. The costs on each side: a monolith is simpler to build, test and "
        "deploy; services scale and ship independently but bring network failures, "
        "distributed data and more operations work. When they would choose which, ideally "
        "from their own experience, and that splitting a monolith later is a real option.",
    ),
    (
        "databases",
        "How do you optimize the performance of a slow database query?",
        "Measuring before changing: finding the query (slow log, APM), reading its plan "
        "(EXPLAIN ANALYZE), then fixing the cause: a missing or unused index, fetching too "
        "many rows or columns, N+1 queries from an ORM, poor joins, stale statistics. "
        "Knowing that indexes cost writes and space, and checking the result with numbers.",
    ),
    (
        "security",
        "What are some best practices for securing a backend API?",
        "Authentication (tokens or sessions done properly) and, just as important, "
        "authorization on every object, not only every endpoint. Validating input, "
        "parameterised queries, HTTPS everywhere, rate limits, secrets kept out of code, "
        "least privilege, logging without leaking personal data, and keeping dependencies "
        "patched. Bonus: naming the OWASP API risks from real cases.",
    ),
    (
        "reliability",
        "How do you handle errors and exceptions in your code?",
        "Catching only what they can handle, close to where they can do something useful; "
        "letting the rest fail loudly. Clear messages for users and useful logs for "
        "engineers (with context, without secrets). Retries with backoff only for "
        "temporary failures, keeping operations safe to repeat, and alerting on what "
        "matters. Not swallowing exceptions silently.",
    ),
    (
        "devops",
        "Can you describe your experience with containerization using Docker?",
        "Concrete use, not definitions: writing Dockerfiles (small base images, layer "
        "caching, multi-stage builds, not running as root), configuration through the "
        "environment, local development with compose, and how images reached production "
        "(registry, CI, orchestration). How they debugged a container that misbehaved.",
    ),
    # More starters, one or two per focus attribute.
    (
        "system_design",
        "How would you design a service that emails each user a daily summary at 9:00 "
        "in their own time zone?",
        "Storing each user's zone and working out the send time in UTC per day (daylight "
        "saving moves it); a scheduler that finds who is due and hands the work to a "
        "queue; workers that can run twice without sending twice (an idempotency key or a "
        "claimed row); retries, rate limits of the email provider, and monitoring of what "
        "was sent. How it grows from a thousand users to ten million.",
    ),
    (
        "databases",
        "When would you add an index to a table, and what does it cost you?",
        "Indexes help selective filters, joins and sorts that run often; they slow down "
        "writes and take space. Column order in a composite index, partial and covering "
        "indexes, checking with the query plan that it is used, and building one on a big "
        "live table without locking it (for example CREATE INDEX CONCURRENTLY).",
    ),
    (
        "apis",
        "How would you change a public API that other teams already depend on without "
        "breaking their code?",
        "Prefer additive changes; version when a breaking change is unavoidable (in the "
        "path or a header) and keep the old version running for an announced period. "
        "Deprecation notices, changelogs, contract tests, consistent errors and "
        "pagination, and idempotency keys for requests clients may retry.",
    ),
    (
        "security",
        "A customer tells you they can open another customer's invoice by changing the "
        "number in the URL. What went wrong, and how do you fix it for good?",
        "Recognising a broken object-level authorization (IDOR): the code looked the "
        "invoice up by id without checking whose it is. Fixing it by scoping every lookup "
        "to the signed-in customer in one shared helper, answering 404, adding tests that "
        "try another customer's ids, checking the logs for past abuse and telling the "
        "people affected.",
    ),
    (
        "performance",
        "A page that used to load in 200 ms now takes four seconds. How do you find out why?",
        "Reproducing it and measuring rather than guessing: tracing or profiling the "
        "request, counting its database queries, looking at what changed (a deploy, data "
        "growth, traffic, a dependency). Common causes such as N+1 queries, missing "
        "indexes, unbounded lists or a slow external call; then fixing, verifying with "
        "numbers and adding a guard (a query-count test, an alert).",
    ),
    (
        "reliability",
        "A payment provider's API sometimes times out. How do you call it safely?",
        "Timeouts on every call; retrying with backoff and jitter only when the request is "
        "safe to repeat, using the provider's idempotency key so a customer is never "
        "charged twice; recording the attempt before calling and reconciling unknown "
        "outcomes later; a circuit breaker or queue when the provider is down; alerts.",
    ),
    (
        "testing",
        "What do you test with unit tests, what with integration tests, and how do you "
        "keep a test suite fast and trustworthy?",
        "Unit tests for logic with many cases, integration tests for the parts that touch "
        "the database, queues and other services, a few end-to-end tests for the paths "
        "that matter most. Testing behaviour rather than implementation, factories for "
        "data, fixing or removing flaky tests, and running everything in CI on every change.",
    ),
    (
        "devops",
        "How do you release a database schema change to a running service without downtime?",
        "Expand and contract: add the new column or table in a backward-compatible way, "
        "deploy code that writes both, backfill in batches, switch reads, then remove the "
        "old parts in a later release. Watching for locks on big tables, keeping each step "
        "reversible and knowing how to roll back.",
    ),
    (
        "communication",
        "Tell us about a time you had to explain a technical trade-off to someone who is "
        "not an engineer. How did you make sure they understood?",
        "A real example told clearly: who the listener was and what they needed to decide, "
        "plain words instead of jargon, the options with their costs and risks, checking "
        "understanding by asking rather than assuming, a short written summary afterwards, "
        "and what was decided.",
    ),
    (
        "collaboration",
        "How do you work with a team several time zones away, and what do you do when you "
        "are blocked while they are asleep?",
        "Making good use of the hours that overlap, clear written updates and hand-overs, "
        "questions asked early and in one message, unblocking themselves with a written "
        "assumption they can revisit, or switching to other work. Respect for others' "
        "hours and regular check-ins; honesty when something slips.",
    ),
    (
        "code_quality",
        "What do you look for when you review a colleague's pull request?",
        "Correctness and edge cases first, then tests, readability and naming, the size "
        "and scope of the change, security and performance risks. Comments that are "
        "specific, kind and explain why; telling must-fix from nice-to-have; and being "
        "open to being reviewed the same way.",
    ),
    (
        "ownership",
        "Tell us about a production incident you were part of: what happened, what did "
        "you do, and what changed afterwards?",
        "A clear timeline and their own part in it, stopping the damage before finding "
        "the root cause, keeping people informed while it was happening, a blameless "
        "review afterwards, and follow-up work that was actually done (a test, an alert, "
        "a safer process).",
    ),
]


def add_starters(apps, schema_editor):
    Question = apps.get_model("screening", "Question")
    have = set(Question.objects.filter(company__isnull=True).values_list("text", flat=True))
    Question.objects.bulk_create(
        Question(company=None, focus=focus, text=text, good_answer=good_answer)
        for focus, text, good_answer in STARTERS
        if text not in have
    )


def remove_starters(apps, schema_editor):
    Question = apps.get_model("screening", "Question")
    KitQuestion = apps.get_model("screening", "KitQuestion")
    in_kits = KitQuestion.objects.values("question_id")
    Question.objects.filter(
        company__isnull=True, text__in=[text for _, text, _ in STARTERS]
    ).exclude(pk__in=in_kits).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0002_assessments_interviews")]

    operations = [migrations.RunPython(add_starters, remove_starters)]
