"""An adversarial pass over issue 11: assessments, the question bank and kits,
interviews and scorecards.

One world holds two companies. Company A (an owner, a grader, an interviewer and a
bystander who is neither) has the engineer in four pipelines: an assessment waiting
(and interviews proposed and booked), one with a request for more time, one handed in
(with an interview held), and one fresh. Company B has the same engineer in its own
pipeline, with its own template, question, kit and interview.

1. Access: every URL of issue 11, each method it takes, asked by someone who may not.
2. Garbage: every form field of every POST with values a form must refuse.
3. Replays: every state change posted twice, every sweep run twice.
4. Engineers never read scores, evidence, scorecards or the team's notes.
5. A candidacy that closes cancels its open interviews.

Every request is checked against a snapshot of the rows issue 11 owns: a refused
request writes nothing, and no request answers 500.

What failed before its fix (the sweeps 1, 2 and 4 found nothing):
- a question, a kit or an assessment template posted twice was saved twice;
- new interview times posted twice were offered, and emailed, twice; asking twice for
  other times moved the request's time; picking a time again said "not offered";
- a candidacy that closed left its interviews proposed or booked (the engineer kept
  the calendar event);
- a scorecard could be written before its interview began, which ended the blind rule
  early for its author.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Company, OutboundEmail, User
from candidates.models import Profile
from screening.models import (
    Assessment,
    AssessmentTemplate,
    BriefKit,
    Candidacy,
    Grade,
    Interview,
    InterviewKit,
    InterviewSlot,
    KitQuestion,
    Question,
    RubricCriterion,
    Scorecard,
    Stage,
    StageMove,
)
from screening.selectors import interviews as interview_selectors
from screening.services import assessments as assessment_services
from tests.assessments.conftest import grade_post, local_input, make_template, template_post
from tests.bank.conftest import screening_candidacy
from tests.factories import EmployerFactory, EngineerFactory, MembershipFactory, ProfileFactory
from tests.interviews.conftest import LINK, book, free_starts, offer, spread
from tests.scorecards.conftest import form_data, make_interview

pytestmark = pytest.mark.django_db

# What only the team may ever read: each is planted in the world and looked for on
# every page and in every email the engineer gets.
GRADE_EVIDENCE = "GRADE-EVIDENCE-XYZZY"
SCORECARD_EVIDENCE = "SCORECARD-EVIDENCE-PLUGH"
KIT_NOTES = "KIT-NOTES-FROTZ: push on sharding"
GOOD_ANSWER = "GOOD-ANSWER-GNUSTO idempotency keys"
MOVE_NOTE = "MOVE-NOTE-REZROV weak on SQL"
GRADER_NAME = "Gwendolyn Gradesworth"


def _member(company: Company, email: str, name: str) -> User:
    return MembershipFactory(company=company, user__email=email, user__full_name=name).user


@dataclass
class World:
    owner: User
    grader: User  # grades the assessments, interviews nobody
    interviewer: User  # interviews, grades nothing
    bystander: User  # in company A, neither grades nor interviews
    engineer: User
    other_engineer: User
    outsider: User  # owner of company B
    profile: Profile
    template: AssessmentTemplate
    question: Question
    kit: InterviewKit
    c1: Candidacy  # assessment waiting, interviews proposed (final) and booked (technical)
    c2: Candidacy  # assessment waiting, the engineer asked for more time
    c3: Candidacy  # assessment handed in, an interview held (booked, over)
    c4: Candidacy  # Interested, nothing sent yet
    sent: Assessment
    asked: Assessment
    submitted: Assessment
    booked: Interview
    proposed: Interview
    past: Interview
    b_template: AssessmentTemplate
    b_question: Question
    b_kit: InterviewKit
    b_interview: Interview

    def pk(self, name: str) -> int:
        if name == "brief4":
            return self.c4.brief_id
        return getattr(self, name).pk


def _kit(company: Company, by: User, question: Question, *, notes: str = "") -> InterviewKit:
    kit = InterviewKit.objects.create(
        company=company,
        title="Backend technical",
        kind="technical",
        focus=["apis", "databases"],
        notes=notes,
        created_by=by,
    )
    KitQuestion.objects.create(kit=kit, question=question, position=1)
    return kit


def _question(company: Company, by: User, text: str, good_answer: str) -> Question:
    return Question.objects.create(
        company=company, created_by=by, text=text, focus="apis", good_answer=good_answer
    )


def build_world(owner: User, engineer: User) -> World:
    company = owner.membership.company
    grader = _member(company, "grader@acme.example", GRADER_NAME)
    interviewer = _member(company, "interviewer@acme.example", "Imran Interviewer")
    bystander = _member(company, "bystander@acme.example", "Bina Bystander")
    profile = ProfileFactory(user=engineer, status="approved")
    other_engineer = EngineerFactory(email="other-engineer@example.com")
    ProfileFactory(user=other_engineer, status="approved")
    template = make_template(company, owner)
    question = _question(
        company, owner, "How do you make a payment API safe to retry?", GOOD_ANSWER
    )
    kit = _kit(company, owner, question, notes=KIT_NOTES)

    c1, c2, c3, c4 = (screening_candidacy(profile, owner) for _ in range(4))
    deadline = timezone.now() + timedelta(days=5)

    def send(candidacy: Candidacy) -> Assessment:
        return assessment_services.assessment_send(
            candidacy=candidacy,
            template=template,
            sender=owner,
            deadline=deadline,
            graders=[owner, grader],
        )

    sent, asked, submitted = send(c1), send(c2), send(c3)
    assessment_services.extension_ask(
        assessment=asked, user=engineer, until=deadline + timedelta(days=2), note="Exams"
    )
    assessment_services.assessment_submit(
        assessment=submitted, user=engineer, url="https://github.com/sana/ledger"
    )
    booked = book(offer(c1, owner, [owner, interviewer], kit=kit), engineer)
    proposed = offer(c1, owner, [owner, interviewer], kind="final")
    past = make_interview(c3, [owner, interviewer], kit=kit, focus=list(kit.focus))

    outsider = EmployerFactory(email="outsider@other.example")
    b_company = outsider.membership.company
    b_candidacy = screening_candidacy(profile, outsider)
    b_question = _question(b_company, outsider, "Their own question", "Their answer")
    world = World(
        owner=owner,
        grader=grader,
        interviewer=interviewer,
        bystander=bystander,
        engineer=engineer,
        other_engineer=other_engineer,
        outsider=outsider,
        profile=profile,
        template=template,
        question=question,
        kit=kit,
        c1=c1,
        c2=c2,
        c3=c3,
        c4=c4,
        sent=sent,
        asked=asked,
        submitted=submitted,
        booked=booked,
        proposed=proposed,
        past=past,
        b_template=make_template(b_company, outsider),
        b_question=b_question,
        b_kit=_kit(b_company, outsider, b_question),
        b_interview=offer(b_candidacy, outsider),
    )
    for candidacy in (c1, c2, c3, c4):
        candidacy.refresh_from_db()
    return world


@pytest.fixture
def world(owner: User, engineer: User) -> World:
    return build_world(owner, engineer)


def client_for(user: User | None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# What issue 11 writes, as it stands ---------------------------------------------------

_SNAPSHOT = (
    AssessmentTemplate,
    RubricCriterion,
    Assessment,
    Grade,
    Question,
    InterviewKit,
    KitQuestion,
    BriefKit,
    Interview,
    InterviewSlot,
    Scorecard,
    Candidacy,
    StageMove,
)
#: Rows a save replaces with equal ones (new ids) and columns a save touches anyway.
_REPLACED = (RubricCriterion, KitQuestion)
_TOUCHED = ("updated_at",)


def snapshot() -> dict[str, Any]:
    """Every row of the tables issue 11 writes, and every email in the outbox."""
    state: dict[str, Any] = {}
    for model in _SNAPSHOT:
        rows = []
        for row in model.objects.order_by("pk").values():
            for name in _TOUCHED:
                row.pop(name, None)
            if model in _REPLACED:
                row.pop("id")
            rows.append(row)
        state[model.__name__] = sorted(rows, key=repr)
    state["OutboundEmail"] = sorted(OutboundEmail.objects.values_list("key", "to", "template"))
    return state


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The tables whose rows differ (for a readable failure)."""
    return [
        f"{name}: {len(before[name])} rows → {len(after[name])}"
        for name in before
        if before[name] != after[name]
    ]


# Every URL of issue 11, with a POST that would work for someone allowed -----------------


def _send_post(w: World) -> dict[str, Any]:
    deadline = timezone.now() + timedelta(days=5)
    return {
        "template": str(w.template.pk),
        "deadline": local_input(deadline, w.c4.company.time_zone),
        "graders": [str(w.owner.pk), str(w.grader.pk)],
    }


def _extension_post(w: World) -> dict[str, Any]:
    until = w.sent.deadline + timedelta(days=2)
    return {"until": local_input(until, w.profile.time_zone), "note": "Exams this week"}


def _question_post(w: World) -> dict[str, Any]:
    return {
        "text": "Wie würden Sie eine Ledger-Tabelle partitionieren? — اردو میں بھی",
        "focus": "databases",
        "good_answer": "Shard keys, hot spots, reports across shards.",
    }


def _kit_post(w: World) -> dict[str, Any]:
    return {
        "title": "Final round",
        "kind": "final",
        "focus": ["communication", "collaboration"],
        "notes": "Keep it friendly.",
        "questions": [str(w.question.pk)],
        f"position_{w.question.pk}": "1",
    }


def _kit_edit_post(w: World) -> dict[str, Any]:
    return _kit_post(w) | {"title": "Backend technical v2", "kind": "technical"}


def _free_value(w: World, candidacy: Candidacy, users: list[User], exclude: Any = None) -> str:
    starts = free_starts(candidacy, users, exclude=exclude)
    return interview_selectors.slot_value(spread(starts, 1)[0])


def _schedule_post(w: World) -> dict[str, Any]:
    return {
        "kind": "technical",
        "kit": str(w.kit.pk),
        "interviewers": [str(w.owner.pk)],
        "length": "60",
        "video_link": LINK,
        "starts": [_free_value(w, w.c4, [w.owner])],
        "offer": "1",
    }


def _reoffer_post(w: World) -> dict[str, Any]:
    start = _free_value(w, w.c1, [w.owner, w.interviewer], exclude=w.proposed.pk)
    return {"length": "60", "reason": "", "starts": [start], "offer": "1"}


@dataclass(frozen=True)
class Endpoint:
    """One URL of issue 11: who may use it, which object its id names (``target``;
    empty for a page without an id) and a POST that works for someone allowed."""

    name: str
    methods: tuple[str, ...]
    who: str  # "team", "grader", "interviewer" or "engineer"
    target: str = ""
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    user: str = ""  # who may post it (default: the owner, or the engineer on their pages)

    def url(self, w: World) -> str:
        args = [w.pk(self.target)] if self.target else []
        return reverse(f"screening:{self.name}", args=args)

    def allowed(self, w: World) -> User:
        if self.user:
            return getattr(w, self.user)
        return {"engineer": w.engineer, "grader": w.grader, "interviewer": w.interviewer}.get(
            self.who, w.owner
        )


GET, POST, BOTH = ("get",), ("post",), ("get", "post")

ENDPOINTS = [
    # Assessments
    Endpoint("assessment_templates", GET, "team"),
    Endpoint(
        "assessment_template_new", BOTH, "team", data=lambda w: template_post({"title": "Queue"})
    ),
    Endpoint(
        "assessment_template_edit",
        BOTH,
        "team",
        "template",
        # as the edit page posts it: its two criteria are the formset's initial forms
        lambda w: template_post({"title": "Ledger API v2"}) | {"criteria-INITIAL_FORMS": "2"},
    ),
    Endpoint("assessment_template_archive", POST, "team", "template"),
    Endpoint("assessment_send", BOTH, "team", "c4", _send_post),
    Endpoint("assessment", GET, "team", "sent"),
    Endpoint(
        "assessment_graders",
        POST,
        "team",
        "sent",
        lambda w: {"graders": [str(w.owner.pk), str(w.grader.pk), str(w.bystander.pk)]},
    ),
    Endpoint(
        "assessment_extension_answer",
        POST,
        "team",
        "asked",
        lambda w: {"answer": "grant", "note": "Good luck"},
    ),
    Endpoint("assessment_withdraw", POST, "team", "sent", lambda w: {"note": "Role filled"}),
    Endpoint(
        "assessment_grade",
        BOTH,
        "grader",
        "submitted",
        lambda w: grade_post(w.submitted, [3, 4]),
    ),
    Endpoint("my_assessment", GET, "engineer", "sent"),
    Endpoint(
        "my_assessment_submit",
        POST,
        "engineer",
        "sent",
        lambda w: {"url": "https://github.com/sana/ledger", "note": "Run make test."},
    ),
    Endpoint("my_assessment_extension", POST, "engineer", "sent", _extension_post),
    # The question bank and kits
    Endpoint("questions", BOTH, "team", data=_question_post),
    Endpoint("question_edit", BOTH, "team", "question", _question_post),
    Endpoint("question_archive", POST, "team", "question"),
    Endpoint("kits", GET, "team"),
    Endpoint("kit_new", BOTH, "team", data=_kit_post),
    Endpoint("kit_edit", BOTH, "team", "kit", _kit_edit_post),
    Endpoint("kit_archive", POST, "team", "kit"),
    Endpoint(
        "brief_kits", BOTH, "team", "brief4", lambda w: {"technical": str(w.kit.pk), "final": ""}
    ),
    # Interviews
    Endpoint("interview_schedule", BOTH, "team", "c4", _schedule_post),
    Endpoint("interview", GET, "team", "booked"),
    Endpoint("interview_reoffer", BOTH, "team", "proposed", _reoffer_post),
    Endpoint("interview_cancel", POST, "team", "booked", lambda w: {"reason": "A clash"}),
    Endpoint("interview_no_show", POST, "team", "past", user="interviewer"),
    Endpoint("interview_ics", GET, "team", "booked"),
    Endpoint("my_interview", GET, "engineer", "proposed"),
    Endpoint(
        "my_interview_pick",
        POST,
        "engineer",
        "proposed",
        lambda w: {"slot": str(w.proposed.slots.order_by("starts_at")[0].pk)},
    ),
    Endpoint("my_interview_others", POST, "engineer", "proposed", lambda w: {"note": "Mornings"}),
    Endpoint("my_interview_cancel", POST, "engineer", "booked", lambda w: {"reason": "Unwell"}),
    Endpoint("my_interview_ics", GET, "engineer", "booked"),
    # Scorecards
    Endpoint("scorecard", BOTH, "interviewer", "past", lambda w: form_data(w.past)),
    Endpoint("scorecards", GET, "team", "c1"),
]
BY_NAME = {e.name: e for e in ENDPOINTS}
#: The pipeline's URLs came with issue 10.
ISSUE_10 = {"board", "add", "brief_funnel", "company_funnel", "candidacy", "move", "review"}


def test_the_sweep_covers_every_url_issue_11_added() -> None:
    from screening.urls import urlpatterns

    names = {p.name for p in urlpatterns} - ISSUE_10
    assert names == set(BY_NAME)


def request(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.get(url) if method == "get" else client.post(url, data)


def sweep(w: World, client: Client, expect: Callable[[Endpoint], int | None]) -> list[str]:
    """Each endpoint and method ``expect`` names a status for (None: skip it), asked by
    ``client`` with a post that would work for someone allowed: what answered
    otherwise, and what wrote anything."""
    problems = []
    for endpoint in ENDPOINTS:
        wanted = expect(endpoint)
        if wanted is None:
            continue
        for method in endpoint.methods:
            before = snapshot()
            response = request(client, method, endpoint.url(w), endpoint.data(w))
            where = f"{method.upper()} {endpoint.name}"
            if response.status_code != wanted:
                problems.append(f"{where}: {response.status_code}, not {wanted}")
            written = changes(before, snapshot())
            if written:
                problems.append(f"{where} wrote {written}")
    return problems


# 1. Access ------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_by_every_url(world: World) -> None:
    login = reverse("account_login")
    client = client_for(None)
    problems = []
    for endpoint in ENDPOINTS:
        for method in endpoint.methods:
            before = snapshot()
            response = request(client, method, endpoint.url(world), endpoint.data(world))
            if response.status_code != 302 or not response["Location"].startswith(login):
                problems.append(f"{method.upper()} {endpoint.name}: {response.status_code}")
            if changes(before, snapshot()):
                problems.append(f"{method.upper()} {endpoint.name} wrote something")
    assert problems == []


def test_another_company_gets_404_for_every_id_of_ours(world: World) -> None:
    client = client_for(world.outsider)
    assert sweep(world, client, lambda e: 404 if e.target else None) == []


def test_the_engineer_gets_404_on_the_company_pages_and_403_where_there_is_no_id(
    world: World,
) -> None:
    client = client_for(world.engineer)

    def expect(e: Endpoint) -> int | None:
        if e.who == "engineer":
            return None
        return 404 if e.target else 403

    assert sweep(world, client, expect) == []


def test_another_engineer_gets_404_on_the_engineers_pages_and_the_company_pages(
    world: World,
) -> None:
    client = client_for(world.other_engineer)
    assert sweep(world, client, lambda e: 404 if e.target else 403) == []


@pytest.mark.parametrize("who", ["owner", "bystander", "outsider"])
def test_employers_get_404_on_the_engineers_pages(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert sweep(world, client, lambda e: 404 if e.who == "engineer" else None) == []


def test_a_teammate_who_neither_grades_nor_interviews_gets_404_on_grading_and_scorecards(
    world: World,
) -> None:
    client = client_for(world.bystander)
    expect = {"grader": 404, "interviewer": 404}
    assert sweep(world, client, lambda e: expect.get(e.who)) == []


def test_the_grader_and_the_interviewer_get_404_on_each_others_page(world: World) -> None:
    assert (
        sweep(world, client_for(world.interviewer), lambda e: 404 if e.who == "grader" else None)
        == []
    )
    assert (
        sweep(world, client_for(world.grader), lambda e: 404 if e.who == "interviewer" else None)
        == []
    )


def test_everyone_allowed_reads_every_page(world: World) -> None:
    """The control: the ids the sweeps use name pages that exist for their own people."""
    problems = []
    for endpoint in ENDPOINTS:
        if "get" not in endpoint.methods:
            continue
        response = client_for(endpoint.allowed(world)).get(endpoint.url(world))
        if response.status_code != 200:
            problems.append(f"GET {endpoint.name}: {response.status_code}")
    assert problems == []


def test_pages_that_only_show_answer_405_to_a_post_and_write_nothing(world: World) -> None:
    problems = []
    for endpoint in ENDPOINTS:
        if endpoint.methods != GET:
            continue
        before = snapshot()
        response = client_for(endpoint.allowed(world)).post(endpoint.url(world), {"x": "1"})
        if response.status_code != 405:
            problems.append(f"POST {endpoint.name}: {response.status_code}")
        if changes(before, snapshot()):
            problems.append(f"POST {endpoint.name} wrote something")
    assert problems == []


# 2. Garbage on every form ------------------------------------------------------------------

HUGE = "99999999999999999999"
LONG = "x" * 10_000
NUL = "Ledger\x00API"
FOREIGN = object()  # stands for the id of company B's own object of that kind

#: Values each kind of field must refuse (FOREIGN: company B's object of the kind).
GARBAGE: dict[str, list[Any]] = {
    "id": ["", "abc", HUGE, "-1", "0", "1.5", "²", "三", "\x00", "1\x00", FOREIGN],
    "opt_id": ["abc", HUGE, "-1", "0", "1.5", "²", "三", "\x00", FOREIGN],
    "int": ["", "abc", HUGE, "-5", "1.5", "1e3", "²", "\x00"],
    "opt_int": ["abc", HUGE, "-5", "1.5", "²", "\x00"],
    "decimal": ["", "abc", HUGE, "-5", "NaN", "Infinity", "1e400", "\x00"],
    "choice": ["", "abc", HUGE, "-7", "0", "\x00"],
    "mgmt": ["", "abc", "\x00"],
    "text": ["", "   ", NUL, "\x00", LONG],
    "opt_text": [NUL, "\x00", LONG],
    "date": [
        "",
        "abc",
        "2026-02-30T10:00",
        "2026-13-01T10:00",
        "2026-06-01T25:00",
        "99999-01-01T00:00",
        "0001-01-01T00:00",
        "9999-12-31T23:59",
        "2020-01-01T10:00",
        "\x00",
        "2026-06-01T10:00\x00",
    ],
    "url": [
        "",
        "abc",
        "javascript:alert(1)",
        "ftp://files.example.com/x",
        "https://exa\x00mple.com/x",
        "https://example.com/" + LONG,
    ],
    "starts": [
        "",
        "abc",
        "2026-02-30T10:00Z",
        "2020-01-01T09:00Z",
        "9999-12-31T23:30Z",
        "0001-01-01T00:00Z",
        "\x00",
        HUGE,
    ],
}
#: Fields whose value is a list (checkboxes): garbage replaces it, and is added to it.
MULTI = {"graders", "interviewers", "questions", "focus", "starts"}


def _grade_spec(w: World) -> dict[str, str]:
    spec = {"recommendation": "choice"}
    for criterion in w.submitted.rubric:
        spec[f"score_{criterion['key']}"] = "choice"
        spec[f"evidence_{criterion['key']}"] = "text"
    return spec


def _template_spec(w: World) -> dict[str, str]:
    spec = {
        "title": "text",
        "instructions": "text",
        "time_box_hours": "int",
        "deadline_days": "int",
        "amount": "decimal",
        "currency": "choice",
        "submit_kind": "choice",
        "submit_note": "opt_text",
        "criteria-TOTAL_FORMS": "int",
        "criteria-INITIAL_FORMS": "mgmt",
    }
    for n in range(2):
        spec |= {f"criteria-{n}-name": "text", f"criteria-{n}-weight": "int"}
        spec |= {f"criteria-{n}-level_{level}": "text" for level in range(1, 5)}
    return spec


def _kit_spec(w: World) -> dict[str, str]:
    return {
        "title": "text",
        "kind": "choice",
        "focus": "choice",
        "notes": "opt_text",
        "questions": "id",
        f"position_{w.question.pk}": "opt_int",
    }


def _scorecard_spec(w: World) -> dict[str, str]:
    spec = {"recommendation": "choice"}
    for focus in w.past.focus:
        spec |= {f"score-{focus}": "choice", f"evidence-{focus}": "text"}
    return spec


QUESTION_SPEC = {"text": "text", "focus": "choice", "good_answer": "text"}

#: For each form: its fields' kinds, and company B's object to post for a FOREIGN id.
FORMS: dict[str, Callable[[World], dict[str, str]]] = {
    "assessment_template_new": _template_spec,
    "assessment_template_edit": _template_spec,
    "assessment_send": lambda w: {"template": "id", "deadline": "date", "graders": "id"},
    "assessment_graders": lambda w: {"graders": "opt_id"},
    "assessment_extension_answer": lambda w: {"answer": "choice", "note": "opt_text"},
    "assessment_withdraw": lambda w: {"note": "text"},
    "assessment_grade": _grade_spec,
    "my_assessment_submit": lambda w: {"url": "url", "note": "opt_text"},
    "my_assessment_extension": lambda w: {"until": "date", "note": "text"},
    "questions": lambda w: QUESTION_SPEC,
    "question_edit": lambda w: QUESTION_SPEC,
    "kit_new": _kit_spec,
    "kit_edit": _kit_spec,
    "brief_kits": lambda w: {"technical": "opt_id", "final": "opt_id"},
    "interview_schedule": lambda w: {
        "kind": "choice",
        "kit": "opt_id",
        "interviewers": "id",
        "length": "choice",
        "video_link": "url",
        "starts": "starts",
    },
    "interview_reoffer": lambda w: {"length": "choice", "reason": "opt_text", "starts": "starts"},
    "interview_cancel": lambda w: {"reason": "text"},
    "my_interview_pick": lambda w: {"slot": "id"},
    "my_interview_others": lambda w: {"note": "text"},
    "my_interview_cancel": lambda w: {"reason": "text"},
    "scorecard": _scorecard_spec,
}
#: Forms whose only changes of state are these buttons: no fields to garble.
NO_FIELDS = {"assessment_template_archive", "question_archive", "kit_archive", "interview_no_show"}


def test_every_post_is_either_a_form_or_a_button() -> None:
    posts = {e.name for e in ENDPOINTS if "post" in e.methods}
    assert posts == set(FORMS) | NO_FIELDS


def foreign(w: World, name: str, field_name: str) -> str:
    """Company B's object that would fit ``field_name`` of form ``name``."""
    if field_name in ("graders", "interviewers"):
        return str(w.outsider.pk)
    if field_name == "template":
        return str(w.b_template.pk)
    if field_name in ("kit", "technical", "final"):
        return str(w.b_kit.pk)
    if field_name == "questions":
        return str(w.b_question.pk)
    if field_name == "slot":
        return str(w.b_interview.slots.order_by("starts_at")[0].pk)
    raise AssertionError(f"no foreign object for {name}.{field_name}")


#: Forms that refuse a score for something they do not rate (others ignore unknown fields).
UNKNOWN_FIELDS = {
    "assessment_grade": {"score_\x00": "3", "evidence_\x00": "Seen"},
    "scorecard": {"score-\x00": "3", "evidence-\x00": "Seen"},
}


def garbage_posts(w: World, name: str) -> list[tuple[str, dict[str, Any]]]:
    """(what, data): the valid post with one field missing or garbled, and an empty one."""
    valid = BY_NAME[name].data(w)
    spec = FORMS[name](w)
    posts: list[tuple[str, dict[str, Any]]] = []
    if any(not kind.startswith("opt_") for kind in spec.values()):
        posts.append(("nothing", {}))
    for field_name, kind in spec.items():
        if not kind.startswith("opt_"):
            posts.append(
                (f"{field_name} missing", {k: v for k, v in valid.items() if k != field_name})
            )
        for value in GARBAGE[kind]:
            value = foreign(w, name, field_name) if value is FOREIGN else value
            posts.append((f"{field_name}={value[:40]!r}", valid | {field_name: value}))
            if field_name in MULTI and value:
                kept = list(valid.get(field_name) or [])
                posts.append(
                    (f"{field_name}+={value[:40]!r}", valid | {field_name: [*kept, value]})
                )
    if name in UNKNOWN_FIELDS:
        posts.append(("a field of no criterion or attribute", valid | UNKNOWN_FIELDS[name]))
    return posts


@pytest.fixture
def garbled_world(world: World) -> World:
    """The world with company A and the engineer in zones that change their clocks, so
    typed times can fall in a daylight saving gap."""
    Company.objects.filter(pk=world.owner.membership.company_id).update(
        time_zone="America/New_York"
    )
    Profile.objects.filter(pk=world.profile.pk).update(time_zone="Europe/Berlin")
    for candidacy in (world.c1, world.c2, world.c3, world.c4):
        candidacy.refresh_from_db()
        candidacy.company.refresh_from_db()
        candidacy.profile.refresh_from_db()
    world.profile.refresh_from_db()
    return world


@pytest.mark.parametrize("name", sorted(FORMS))
def test_garbage_in_any_field_is_refused_with_a_4xx_and_nothing_saved(
    garbled_world: World, name: str
) -> None:
    w = garbled_world
    endpoint = BY_NAME[name]
    client = client_for(endpoint.allowed(w))
    url = endpoint.url(w)
    problems = []
    for what, data in garbage_posts(w, name):
        before = snapshot()
        response = client.post(url, data)
        if not 400 <= response.status_code < 500:
            problems.append(f"{what}: {response.status_code}")
        written = changes(before, snapshot())
        if written:
            problems.append(f"{what} wrote {written}")
    assert problems == [], "\n".join(problems)
    # The control: the same form, posted whole, goes through.
    response = client.post(url, endpoint.data(w))
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    ("name", "field_name", "typed", "zone"),
    [
        ("assessment_send", "deadline", "2027-03-14T02:30", "America/New_York"),
        ("my_assessment_extension", "until", "2027-03-28T02:30", "Europe/Berlin"),
    ],
)
def test_a_time_inside_a_clock_change_gap_is_refused_by_name(
    garbled_world: World, name: str, field_name: str, typed: str, zone: str
) -> None:
    w = garbled_world
    endpoint = BY_NAME[name]
    before = snapshot()
    response = client_for(endpoint.allowed(w)).post(
        endpoint.url(w), endpoint.data(w) | {field_name: typed}
    )
    assert response.status_code == 400
    assert "does not exist" in response.content.decode()
    assert f"in {zone}" in response.content.decode()
    assert changes(before, snapshot()) == []


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("assessment_send", {"template": "abc"}),
        ("assessment_send", {"template": HUGE}),
        ("assessment_send", {"template": "\x00"}),
        ("assessment_send", {"template": "²"}),
        ("assessment_send", {"template": FOREIGN}),
        ("questions", {"focus": "\x00"}),
        ("questions", {"focus": LONG}),
        ("questions", {"focus": "nonsense"}),
    ],
)
def test_garbage_in_a_query_string_is_a_4xx(world: World, name: str, query: dict[str, Any]) -> None:
    endpoint = BY_NAME[name]
    if query.get("template") is FOREIGN:
        query = {"template": str(world.b_template.pk)}
    before = snapshot()
    response = client_for(endpoint.allowed(world)).get(endpoint.url(world), query)
    assert 400 <= response.status_code < 500
    assert changes(before, snapshot()) == []


@pytest.mark.parametrize("pk", [HUGE, "0"])
def test_an_id_that_names_nothing_is_a_404_on_every_url(world: World, pk: str) -> None:
    problems = []
    for endpoint in ENDPOINTS:
        if not endpoint.target:
            continue
        url = endpoint.url(world).replace(f"/{world.pk(endpoint.target)}/", f"/{pk}/")
        client = client_for(endpoint.allowed(world))
        for method in endpoint.methods:
            before = snapshot()
            response = request(client, method, url, endpoint.data(world))
            if response.status_code != 404:
                problems.append(f"{method.upper()} {url}: {response.status_code}")
            if changes(before, snapshot()):
                problems.append(f"{method.upper()} {url} wrote something")
    assert problems == []


# 3. Replays --------------------------------------------------------------------------------

STATE_CHANGES = sorted(e.name for e in ENDPOINTS if "post" in e.methods)


@pytest.mark.parametrize("name", STATE_CHANGES)
def test_a_double_submit_changes_state_once_and_emails_once(world: World, name: str) -> None:
    endpoint = BY_NAME[name]
    client = client_for(endpoint.allowed(world))
    data = endpoint.data(world)
    first = client.post(endpoint.url(world), data)
    assert first.status_code == 302, first.content.decode()[:3000]
    after_first = snapshot()
    emails = OutboundEmail.objects.count()
    second = client.post(endpoint.url(world), data)
    assert second.status_code in (302, 404, 409), second.status_code
    assert changes(after_first, snapshot()) == []
    assert OutboundEmail.objects.count() == emails


# Double submits that used to change state twice: each is refused the second time
# with a message that says why, and the first one's state stands.


def _twice(client: Client, url: str, data: dict[str, Any]) -> Any:
    assert client.post(url, data).status_code == 302
    return client.post(url, data)


def test_a_question_posted_twice_is_added_once(world: World) -> None:
    before = Question.objects.count()
    again = _twice(client_for(world.owner), reverse("screening:questions"), _question_post(world))
    assert again.status_code == 409
    assert "That question is already in your bank, under Databases." in again.content.decode()
    assert Question.objects.count() == before + 1


def test_rewording_a_question_into_another_one_of_the_bank_is_refused(world: World) -> None:
    client = client_for(world.owner)
    other = _question(world.owner.membership.company, world.owner, "Another one", "Anything")
    response = client.post(
        reverse("screening:question_edit", args=[other.pk]),
        {"text": world.question.text.upper(), "focus": "apis", "good_answer": "Anything"},
    )
    assert response.status_code == 409
    other.refresh_from_db()
    assert other.text == "Another one"


def test_a_kit_posted_twice_is_made_once(world: World) -> None:
    again = _twice(client_for(world.owner), reverse("screening:kit_new"), _kit_post(world))
    assert again.status_code == 409
    assert "You already have a kit called “Final round”." in again.content.decode()
    assert InterviewKit.objects.filter(title="Final round").count() == 1


def test_a_kit_may_take_the_title_of_an_archived_one(world: World) -> None:
    InterviewKit.objects.filter(pk=world.kit.pk).update(archived_at=timezone.now())
    data = _kit_post(world) | {"title": world.kit.title}
    response = client_for(world.owner).post(reverse("screening:kit_new"), data)
    assert response.status_code == 302


def test_an_assessment_template_posted_twice_is_made_once(world: World) -> None:
    data = template_post({"title": "Queue worker"})
    again = _twice(client_for(world.owner), reverse("screening:assessment_template_new"), data)
    assert again.status_code == 409
    assert "You already have a template called “Queue worker”." in again.content.decode()
    assert AssessmentTemplate.objects.filter(title="Queue worker").count() == 1


def test_new_times_posted_twice_are_offered_and_emailed_once(world: World) -> None:
    url = reverse("screening:interview_reoffer", args=[world.proposed.pk])
    again = _twice(client_for(world.owner), url, _reoffer_post(world))
    assert again.status_code == 409
    assert "already has on offer" in again.content.decode()
    offers = OutboundEmail.objects.filter(
        template="email/interview_offered",
        key__startswith=f"interview-offered:{world.proposed.pk}:",
    )
    assert offers.count() == 2  # the first offer, and the new times once


def test_asking_twice_for_other_times_with_the_same_note_tells_the_team_once(
    world: World,
) -> None:
    client = client_for(world.engineer)
    url = reverse("screening:my_interview_others", args=[world.proposed.pk])
    again = _twice(client, url, {"note": "Mornings, please"})
    assert again.status_code == 409
    assert "already asked for other times with this note" in again.content.decode()
    asked = Interview.objects.get(pk=world.proposed.pk).others_asked_at
    told = OutboundEmail.objects.filter(template="email/interview_others").count()
    # A new note is news: the team hears it.
    assert client.post(url, {"note": "Afternoons after all"}).status_code == 302
    assert Interview.objects.get(pk=world.proposed.pk).others_asked_at != asked
    assert OutboundEmail.objects.filter(template="email/interview_others").count() > told


def test_picking_the_same_time_twice_says_the_interview_is_already_booked(
    world: World,
) -> None:
    slot = world.proposed.slots.order_by("starts_at")[0]
    url = reverse("screening:my_interview_pick", args=[world.proposed.pk])
    again = _twice(client_for(world.engineer), url, {"slot": str(slot.pk)})
    assert again.status_code == 409
    assert "already booked" in again.content.decode()
    interview = Interview.objects.get(pk=world.proposed.pk)
    assert (interview.status, interview.starts_at, interview.sequence) == (
        "booked",
        slot.starts_at,
        0,
    )


# The sweeps, run twice at the same moment, do their work once -----------------------------


def _sweep_twice(task: Any, now: datetime) -> tuple[dict[str, int], dict[str, int], int]:
    """Run the Celery task (as beat would, with ``now`` as ISO text) twice; the two
    results and how many emails the second run added."""
    first = task(now.isoformat())
    emails = OutboundEmail.objects.count()
    state = snapshot()
    second = task(now.isoformat())
    assert changes(state, snapshot()) == []
    return first, second, OutboundEmail.objects.count() - emails


def test_the_assessment_sweep_run_twice_reminds_once_then_expires_once(world: World) -> None:
    from screening import tasks

    deadline = world.sent.deadline
    first, second, added = _sweep_twice(tasks.assessment_sweep, deadline - timedelta(hours=2))
    assert first == {"reminded": 2, "expired": 0}  # the waiting one and the one asking
    assert second == {"reminded": 0, "expired": 0}
    assert added == 0
    first, second, added = _sweep_twice(tasks.assessment_sweep, deadline + timedelta(minutes=1))
    assert first == {"reminded": 0, "expired": 2}
    assert second == {"reminded": 0, "expired": 0}
    assert added == 0
    to_engineer = OutboundEmail.objects.filter(to=world.engineer.email)
    assert to_engineer.filter(template="email/assessment_reminder").count() == 2
    assert to_engineer.filter(template="email/assessment_expired").count() == 2


def test_the_interview_sweep_run_twice_reminds_once_a_day_and_once_an_hour_before(
    world: World,
) -> None:
    from screening import tasks

    starts = world.booked.starts_at
    assert starts is not None
    # The interview held an hour and a half ago had its reminders; without this, a booked
    # time less than a day and a half away puts it inside the sweep's day window too.
    Interview.objects.filter(pk=world.past.pk).update(
        reminded_day_at=timezone.now(), reminded_hour_at=timezone.now()
    )
    first, second, added = _sweep_twice(tasks.interview_sweep, starts - timedelta(hours=23))
    assert (first, second, added) == ({"day": 1, "hour": 0}, {"day": 0, "hour": 0}, 0)
    first, second, added = _sweep_twice(tasks.interview_sweep, starts - timedelta(minutes=30))
    assert (first, second, added) == ({"day": 0, "hour": 1}, {"day": 0, "hour": 0}, 0)
    reminders = OutboundEmail.objects.filter(template="email/interview_reminder")
    # the engineer and the two interviewers, once a day before and once an hour before
    assert reminders.count() == 6
    assert reminders.filter(to=world.engineer.email).count() == 2


def test_the_scorecard_sweep_run_twice_reminds_each_interviewer_once(world: World) -> None:
    from screening import tasks

    assert world.past.ends_at is not None
    first, second, added = _sweep_twice(
        tasks.scorecard_sweep, world.past.ends_at + timedelta(hours=3)
    )
    assert first == {"due": 2, "reminded": 2}
    assert second == {"due": 0, "reminded": 0}
    assert added == 0
    reminded = OutboundEmail.objects.filter(template="email/scorecard_reminder")
    assert sorted(reminded.values_list("to", flat=True)) == sorted(
        [world.owner.email, world.interviewer.email]
    )


# 4. Engineers never read the team's side -----------------------------------------------------


def _team_has_written_everything(w: World) -> None:
    """Grades with evidence, scorecards with evidence, a close with a reason and a note."""
    from screening.models import Recommendation
    from screening.services.scorecards import scorecard_submit

    for grader in (w.owner, w.grader):
        assessment_services.grade_submit(
            assessment=w.submitted,
            grader=grader,
            scores={
                c["key"]: {"score": 4, "evidence": f"{GRADE_EVIDENCE} by {grader.email}"}
                for c in w.submitted.rubric
            },
            recommendation=Recommendation.STRONG_YES,
        )
    for interviewer in (w.owner, w.interviewer):
        scorecard_submit(
            interview=w.past,
            interviewer=interviewer,
            ratings={f: {"score": 4, "evidence": SCORECARD_EVIDENCE} for f in w.past.focus},
            recommendation=Recommendation.STRONG_YES,
        )
    response = client_for(w.owner).post(
        reverse("screening:move", args=[w.c2.pk]),
        {
            "to": "not_a_fit",
            "expected": w.c2.stage,
            "reason": "skills",
            "note": MOVE_NOTE,
            "told_engineer": "on",
        },
    )
    assert response.status_code == 302


def _engineer_reads(w: World) -> dict[str, str]:
    """Every page of issue 11 the engineer reaches, and every email they were sent."""
    from hiring.models import Outreach

    client = client_for(w.engineer)
    urls = [reverse("hiring:opportunities"), reverse("hiring:inbox")]
    for outreach in Outreach.objects.filter(profile=w.profile):
        urls += [
            reverse("hiring:opportunity", args=[outreach.pk]),
            reverse("hiring:thread", args=[outreach.thread_id]),
        ]
    for assessment in (w.sent, w.asked, w.submitted):
        urls.append(reverse("screening:my_assessment", args=[assessment.pk]))
    for interview in (w.booked, w.proposed, w.past):
        urls.append(reverse("screening:my_interview", args=[interview.pk]))
    for interview in (w.booked, w.past):
        urls.append(reverse("screening:my_interview_ics", args=[interview.pk]))
    read = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        read[url] = response.content.decode()
    for email in OutboundEmail.objects.filter(to=w.engineer.email):
        files = " ".join(str(a.get("content", "")) for a in email.attachments)
        read[f"email {email.key}"] = " ".join(
            [email.subject, email.body_text, email.body_html, files]
        )
    return read


def test_engineers_never_read_scores_evidence_scorecards_kit_notes_or_the_close_reason(
    world: World,
) -> None:
    _team_has_written_everything(world)
    read = _engineer_reads(world)
    assert len([k for k in read if k.startswith("email")]) >= 8
    secrets = [
        GRADE_EVIDENCE,
        SCORECARD_EVIDENCE,
        KIT_NOTES,
        GOOD_ANSWER,
        world.question.text,  # the kit's questions are not handed out before the interview
        MOVE_NOTE,
        "Skills do not match",
        GRADER_NAME,
        "Strong yes",
        "strong yes",
    ]
    leaks = [
        f"{secret!r} in {where}"
        for where, text in read.items()
        for secret in secrets
        if secret in text
    ]
    assert leaks == []
    # The control: the team's pages do show what the engineer's never do.
    team = client_for(world.owner)
    grades = team.get(reverse("screening:assessment", args=[world.submitted.pk])).content.decode()
    cards = team.get(reverse("screening:scorecards", args=[world.c3.pk])).content.decode()
    assert GRADE_EVIDENCE in grades and SCORECARD_EVIDENCE in cards


# 5. A candidacy that closes cancels its open interviews ---------------------------------------


def _cancel_emails(w: World, interview: Interview) -> list[OutboundEmail]:
    return list(
        OutboundEmail.objects.filter(
            template="email/interview_cancelled",
            key__startswith=f"interview-cancelled:{interview.pk}:",
        ).order_by("pk")
    )


def test_not_a_fit_withdraws_the_assessment_and_cancels_both_interviews(world: World) -> None:
    from icalendar import Calendar

    response = client_for(world.owner).post(
        reverse("screening:move", args=[world.c1.pk]),
        {"to": "not_a_fit", "expected": "interview", "reason": "rate", "note": MOVE_NOTE},
    )
    assert response.status_code == 302
    world.sent.refresh_from_db()
    assert world.sent.status == Assessment.Status.WITHDRAWN
    booked = Interview.objects.get(pk=world.booked.pk)
    proposed = Interview.objects.get(pk=world.proposed.pk)
    for interview in (booked, proposed):
        assert interview.status == Interview.Status.CANCELLED
        assert interview.cancelled_by == Interview.Side.COMPANY
        assert not interview.slots.exists()
    assert booked.sequence == world.booked.sequence + 1

    # The booked one: everyone (the engineer and both interviewers) gets the calendar's
    # cancellation of the same event, one sequence up.
    sent_to = {}
    for email in _cancel_emails(world, booked):
        [attachment] = email.attachments
        calendar = Calendar.from_ical(attachment["content"])
        [event] = calendar.walk("VEVENT")
        assert str(calendar["method"]) == "CANCEL"
        assert (str(event["uid"]), int(event["sequence"])) == (booked.uid, booked.sequence)
        assert str(event["status"]) == "CANCELLED"
        sent_to[email.to] = email
    assert set(sent_to) == {world.engineer.email, world.owner.email, world.interviewer.email}
    # The proposed one had no time: the times offered are withdrawn, no calendar file.
    offered = _cancel_emails(world, proposed)
    assert world.engineer.email in {e.to for e in offered}
    assert all(e.attachments == [] for e in offered)

    # The engineer reads neutral words: never the reason, its label or the team's note.
    for email in [sent_to[world.engineer.email], *offered]:
        if email.to != world.engineer.email:
            continue
        text = " ".join([email.subject, email.body_text, email.body_html])
        assert "has closed" in text
        assert "Rate above budget" not in text and MOVE_NOTE not in text
        assert not re.search(r"\brate\b", text, re.IGNORECASE)  # the reason's code
    # The team's page of the card says so.
    page = client_for(world.owner).get(reverse("screening:candidacy", args=[world.c1.pk]))
    assert page.status_code == 200
    assert "Cancelled" in page.content.decode()
    # Their Opportunities page asks nothing more of them for this brief.
    page = client_for(world.engineer).get(reverse("hiring:opportunities")).content.decode()
    assert reverse("screening:my_interview", args=[booked.pk]) not in page
    assert reverse("screening:my_interview", args=[proposed.pk]) not in page


@pytest.mark.parametrize(
    ("stage", "side"),
    [
        (Stage.NOT_A_FIT, Interview.Side.COMPANY),
        (Stage.WITHDRAWN, Interview.Side.ENGINEER),
        (Stage.DECLINED, Interview.Side.ENGINEER),
        (Stage.NO_ANSWER, Interview.Side.COMPANY),
    ],
)
def test_every_way_a_card_closes_cancels_its_open_interviews(
    world: World, stage: Stage, side: str
) -> None:
    from screening.services import candidacy_move

    candidacy_move(
        candidacy=world.c1,
        to=stage,
        by=world.owner,
        reason="skills" if stage == Stage.NOT_A_FIT else "",
        via_outreach=stage != Stage.NOT_A_FIT,
    )
    for interview in (world.booked, world.proposed):
        interview.refresh_from_db()
        assert (interview.status, interview.cancelled_by) == (Interview.Status.CANCELLED, side)
        assert "skills" not in interview.cancel_reason.lower()
    # Another candidacy's interviews are untouched.
    world.past.refresh_from_db()
    assert world.past.status == Interview.Status.BOOKED


def test_an_engineer_stepping_back_cancels_their_interviews_in_their_name(world: World) -> None:
    from hiring.models import Outreach
    from hiring.services import engineer_step_back

    outreach = Outreach.objects.get(candidacy=world.c1)
    engineer_step_back(outreach=outreach, user=world.engineer, note="Took another job")
    world.booked.refresh_from_db()
    assert world.booked.status == Interview.Status.CANCELLED
    [to_team] = [e for e in _cancel_emails(world, world.booked) if e.to == world.owner.email]
    assert f"{world.engineer.display_name} cancelled" in to_team.body_text
    [to_engineer] = [e for e in _cancel_emails(world, world.booked) if e.to == world.engineer.email]
    assert "You cancelled" in to_engineer.body_text


def test_an_interview_that_has_begun_stays_for_its_scorecards_when_the_card_closes(
    world: World,
) -> None:
    from screening.services import candidacy_move

    candidacy_move(candidacy=world.c3, to=Stage.NOT_A_FIT, by=world.owner, reason="skills")
    world.past.refresh_from_db()
    world.submitted.refresh_from_db()
    assert world.past.status == Interview.Status.BOOKED
    assert world.submitted.status == Assessment.Status.SUBMITTED  # handed in: still graded
    assert _cancel_emails(world, world.past) == []
    response = client_for(world.interviewer).post(
        reverse("screening:scorecard", args=[world.past.pk]), form_data(world.past)
    )
    assert response.status_code == 302


def test_closing_cancels_once_however_often_the_receiver_hears_it(world: World) -> None:
    from screening.services import candidacy_move
    from screening.services.interviews import on_card_closed
    from screening.signals import stage_changed

    move = candidacy_move(candidacy=world.c1, to=Stage.NOT_A_FIT, by=world.owner, reason="rate")
    state = snapshot()
    assert on_card_closed(candidacy=world.c1, move=move) == 0
    stage_changed.send(sender=Candidacy, candidacy=world.c1, move=move)
    assert changes(state, snapshot()) == []
    keys = [
        key
        for key, *_ in stage_changed.receivers
        if key[0] == "screening.interviews.on_card_closed"
    ]
    assert len(keys) == 1


# Scorecards before the interview: a card written for an interview still ahead unlocked
# the candidacy's other cards (the blind rule hides them only while one is owed).


def test_a_scorecard_cannot_be_written_before_the_interview_begins(world: World) -> None:
    from screening.services.scorecards import scorecard_submit

    for interviewer in (world.owner, world.interviewer):
        scorecard_submit(
            interview=world.past,
            interviewer=interviewer,
            ratings={f: {"score": 3, "evidence": SCORECARD_EVIDENCE} for f in world.past.focus},
            recommendation=1,
        )
    final = make_interview(
        world.c3,
        [world.bystander],
        kind="final",
        ends_at=timezone.now() + timedelta(days=2, hours=1),
    )
    client = client_for(world.bystander)
    summary = reverse("screening:scorecards", args=[world.c3.pk])
    assert SCORECARD_EVIDENCE not in client.get(summary).content.decode()

    page = client.get(reverse("screening:scorecard", args=[final.pk])).content.decode()
    assert "has not begun yet" in page
    response = client.post(reverse("screening:scorecard", args=[final.pk]), form_data(final))

    assert response.status_code == 409
    assert "has not begun yet" in response.content.decode()
    assert not Scorecard.objects.filter(interview=final, submitted_at__isnull=False).exists()
    assert SCORECARD_EVIDENCE not in client.get(summary).content.decode()
