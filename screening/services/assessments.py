"""Every write of assessments: templates and their rubrics, sending one to an engineer,
the engineer's submission and request for more time, the team's answers, graders and
grades, and the sweep that reminds and expires.

Each change of state is a conditional update on the state the caller saw
(``filter(pk=…, status=SENT).update(...)``): whoever acts first wins and the others get
Conflict (409), so a double submit or a race with the sweep never acts twice. Emails go
through the outbox inside the same transaction, each with a key per event and
recipient: a retried request or a sweep run twice sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accounts.emails import absolute, email_send
from accounts.errors import Conflict, Refused
from accounts.links import web_link
from accounts.models import Company, Membership, User
from accounts.money import format_money
from accounts.selectors import team_recipients
from candidates.models import Profile
from screening.models import (
    CLOSED_STAGES,
    Assessment,
    AssessmentTemplate,
    Candidacy,
    Grade,
    Recommendation,
    RubricCriterion,
    Score,
    Stage,
)
from screening.services.pipeline import candidacy_move
from screening.signals import stage_changed

#: The stages an assessment can be sent from: the engineer said yes to the outreach.
SEND_STAGES: tuple[Stage, ...] = (Stage.INTERESTED, Stage.ASSESSMENT)
OPEN_STATUSES = (Assessment.Status.SENT, Assessment.Status.SUBMITTED)
#: The furthest a deadline may be set when sending (a typo guard, not a policy).
MAX_DEADLINE_DAYS = 60
#: How much later than the current deadline an engineer may ask to hand in.
MAX_EXTENSION = timedelta(days=14)
EVIDENCE_MAX = 500
REMINDER_BEFORE = timedelta(hours=24)
#: A reminder due between these local hours goes at EVENING the evening before instead.
QUIET_FROM, QUIET_UNTIL, EVENING = time(21, 0), time(9, 0), time(20, 0)
#: How much earlier than deadline − 24 h a reminder can move (09:00 back to 20:00).
MAX_REMINDER_SHIFT = timedelta(hours=13)

#: What an email about an assessment reads, fetched with it.
_SWEEP_RELATED = ("candidacy__profile__user", "candidacy__brief", "company", "sent_by")

TEMPLATE_FIELDS = (
    "title",
    "instructions",
    "time_box_hours",
    "deadline_days",
    "paid",
    "amount",
    "currency",
    "submit_kind",
    "submit_note",
)


def local_text(moment: datetime, zone: str) -> str:
    """A moment as a reader in ``zone`` reads it: "Friday 12 March 2027, 17:00 (Asia/Karachi)"."""
    local = timezone.localtime(moment, ZoneInfo(zone))
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} ({zone})"


def candidate_label(assessment: Assessment) -> str:
    """What graders of an anonymous assessment call the engineer until they have graded."""
    return f"Candidate A-{assessment.pk}"


def pay_text(assessment: Assessment | AssessmentTemplate) -> str:
    """What the engineer is paid for the work: "USD 100", or "Unpaid"."""
    if assessment.paid and assessment.amount:
        return format_money(assessment.amount, assessment.currency)
    return "Unpaid"


# Rules shared by the forms and the services (pure) -------------------------------------


def rubric_problem(weights: Sequence[int]) -> str:
    """Why these criteria's weights cannot make a rubric, or "" when they can."""
    if not weights:
        return "Add at least one criterion to the rubric."
    total = sum(weights)
    if total != 100:
        return (
            f"The criteria's weights add up to {total}%; they must add up to exactly 100%. "
            "Nothing was saved."
        )
    return ""


def deadline_problem(deadline: datetime, time_box_hours: int, now: datetime) -> str:
    """Why an assessment cannot be due at ``deadline``, or "" when it can."""
    if deadline <= now:
        return "That deadline has already passed: pick a date and time in the future."
    if deadline - now < timedelta(hours=time_box_hours):
        return (
            f"The deadline is less than the time box ({time_box_hours} hours) away: give the "
            f"engineer at least {time_box_hours} hours."
        )
    if deadline - now > timedelta(days=MAX_DEADLINE_DAYS):
        return f"Pick a deadline at most {MAX_DEADLINE_DAYS} days from now."
    return ""


def extension_problem(deadline: datetime, until: datetime) -> str:
    """Why the engineer cannot ask to hand in at ``until``, or "" when they can."""
    if until <= deadline:
        return "Ask for a new deadline later than the current one."
    if until - deadline > MAX_EXTENSION:
        return f"You can ask for at most {MAX_EXTENSION.days} more days than the current deadline."
    return ""


def reminder_at(deadline: datetime, zone: str) -> datetime:
    """When the engineer is reminded of a deadline: 24 hours before it, unless that falls
    between 21:00 and 09:00 in their zone; then at 20:00 of the evening before (their
    local evening, daylight saving included). Returned in UTC."""
    tz = ZoneInfo(zone)
    due = (deadline - REMINDER_BEFORE).astimezone(tz)
    if QUIET_UNTIL <= due.time() < QUIET_FROM:
        return due.astimezone(UTC)
    evening = due.date() if due.time() >= QUIET_FROM else due.date() - timedelta(days=1)
    return datetime.combine(evening, EVENING, tzinfo=tz).astimezone(UTC)


def weighted_total(rubric: list[dict[str, Any]], scores: dict[str, Any]) -> float:
    """One grade's score on the rubric's scale of 1 to 4: sum(weight × score) / 100."""
    return sum(c["weight"] * int(scores[c["key"]]["score"]) for c in rubric) / 100


# Templates ----------------------------------------------------------------------------


@transaction.atomic
def template_save(
    *,
    company: Company,
    user: User,
    fields: dict[str, Any],
    criteria: list[dict[str, Any]],
    template: AssessmentTemplate | None = None,
) -> AssessmentTemplate:
    """Write a template and its rubric (the criteria replace the old ones: assessments
    already sent keep their own copy)."""
    problem = rubric_problem([int(c["weight"]) for c in criteria])
    if problem:
        raise Refused(problem)
    if fields["paid"] and not (fields.get("amount") and fields["amount"] > 0):
        raise Refused("A paid assessment needs its amount (above zero) and currency.")
    if template is not None and template.company_id != company.pk:
        raise Refused("That template belongs to another company.")
    template = template or AssessmentTemplate(company=company, created_by=user)
    for name in TEMPLATE_FIELDS:
        setattr(template, name, fields[name])
    if not template.paid:
        template.amount = None
    try:
        template.full_clean(exclude=["company", "created_by"])
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages) + " Nothing was saved.") from None
    # The company's row, taken for this transaction, makes two saves at once (a double
    # submit) run one after the other: the second finds the first's title.
    list(Company.objects.select_for_update().filter(pk=company.pk).values_list("pk", flat=True))
    same_title = AssessmentTemplate.objects.filter(
        company=company, archived_at__isnull=True, title__iexact=template.title.strip()
    )
    if same_title.exclude(pk=template.pk).exists():
        raise Conflict(
            f"You already have a template called “{template.title.strip()}”. Open it to "
            "change it, or give this one another title. Nothing was saved."
        )
    template.save()
    template.criteria.all().delete()
    RubricCriterion.objects.bulk_create(
        RubricCriterion(
            template=template,
            position=n,
            name=c["name"].strip(),
            weight=int(c["weight"]),
            level_1=c["level_1"].strip(),
            level_2=c["level_2"].strip(),
            level_3=c["level_3"].strip(),
            level_4=c["level_4"].strip(),
        )
        for n, c in enumerate(criteria)
    )
    return template


def template_archive(*, template: AssessmentTemplate, archive: bool = True) -> None:
    """Put a template away (it can no longer be sent) or bring it back."""
    if archive:
        changed = AssessmentTemplate.objects.filter(
            pk=template.pk, archived_at__isnull=True
        ).update(archived_at=timezone.now())
    else:
        changed = AssessmentTemplate.objects.filter(
            pk=template.pk, archived_at__isnull=False
        ).update(archived_at=None)
    if not changed:
        state = "archived" if archive else "in use"
        raise Conflict(f"“{template.title}” is already {state}. Nothing was changed.")


# Sending ------------------------------------------------------------------------------


def send_refusal(candidacy: Candidacy) -> Refused | None:
    """Why this candidacy cannot be sent an assessment now (a Conflict), or None."""
    if candidacy.stage not in SEND_STAGES:
        return Conflict(
            "Assessments go to engineers who said yes to your outreach (in Interested or "
            f"Assessment); this one is in {candidacy.get_stage_display()}."
        )
    if Assessment.objects.filter(candidacy=candidacy, status__in=OPEN_STATUSES).exists():
        return Conflict(
            "This engineer already has an open assessment. Wait until it is graded, or "
            "withdraw it, before sending another."
        )
    return None


def _members(company: Company, users: Iterable[User]) -> list[User]:
    """``users`` once each, in order; Refused unless every one is on the company's team."""
    wanted = list({user.pk: user for user in users}.values())
    team = set(
        Membership.objects.filter(company=company, user__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    if any(user.pk not in team for user in wanted):
        raise Refused("Graders must be members of your team. Nothing was changed.")
    return wanted


def _zones(company: Company, users: Iterable[User]) -> dict[int, str]:
    """Each teammate's own time zone (their working day's, else the company's)."""
    memberships = Membership.objects.filter(company=company, user__in=list(users))
    return {m.user_id: m.time_zone or company.time_zone for m in memberships}


@transaction.atomic
def assessment_send(
    *,
    candidacy: Candidacy,
    template: AssessmentTemplate,
    sender: User,
    deadline: datetime,
    graders: Iterable[User],
    anonymous: bool = False,
    now: datetime | None = None,
) -> Assessment:
    """Send a copy of ``template`` to the candidacy's engineer: the card moves from
    Interested to Assessment, the engineer is emailed what is asked, by when (in their
    zone) and whether it is paid, and each grader is told they were picked."""
    now = now or timezone.now()
    locked = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    refusal = send_refusal(locked)
    if refusal is not None:
        raise refusal
    if template.company_id != locked.company_id or template.archived_at is not None:
        raise Refused("Pick one of your team's templates that is in use.")
    problem = deadline_problem(deadline, template.time_box_hours, now)
    if problem:
        raise Refused(problem)
    team = _members(locked.company, graders)
    if not team:
        raise Refused("Pick at least one grader from your team.")
    criteria = list(template.criteria.all())
    if not criteria:
        raise Refused("This template has no rubric yet. Add its criteria before sending it.")
    assessment = Assessment(
        candidacy=locked,
        company=locked.company,
        template=template,
        title=template.title,
        instructions=template.instructions,
        time_box_hours=template.time_box_hours,
        paid=template.paid,
        amount=template.amount if template.paid else None,
        currency=template.currency,
        submit_kind=template.submit_kind,
        submit_note=template.submit_note,
        rubric=[
            {"key": f"c{c.pk}", "name": c.name, "weight": c.weight, "levels": c.levels}
            for c in criteria
        ],
        anonymous=anonymous,
        sent_by=sender,
        sent_at=now,
        deadline=deadline,
    )
    try:
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        raise Conflict("This engineer already has an open assessment. Nothing was sent.") from None
    grades = Grade.objects.bulk_create(Grade(assessment=assessment, grader=user) for user in team)
    if locked.stage == Stage.INTERESTED:
        candidacy_move(candidacy=locked, to=Stage.ASSESSMENT, by=sender, expected=Stage.INTERESTED)
    candidacy.stage, candidacy.stage_since = locked.stage, locked.stage_since
    profile = Profile.objects.select_related("user").get(pk=locked.profile_id)
    assessment.candidacy.profile = profile
    email_send(
        to=profile.user.email,
        template="email/assessment_sent",
        context=_engineer_context(assessment),
        key=f"assessment-sent:{assessment.pk}",
    )
    _tell_graders(assessment, grades)
    return assessment


def _engineer_context(assessment: Assessment, **extra: Any) -> dict[str, Any]:
    profile = assessment.candidacy.profile
    company = assessment.company
    return {
        "assessment": assessment,
        "company": company,
        "engineer": profile.user,
        "deadline_text": local_text(assessment.deadline, profile.time_zone),
        "company_deadline_text": local_text(assessment.deadline, company.time_zone),
        "pay_text": pay_text(assessment),
        "url": absolute(reverse("screening:my_assessment", args=[assessment.pk])),
        **extra,
    }


def _team_context(assessment: Assessment, zone: str, *, named: bool = True) -> dict[str, Any]:
    """What a teammate's email says; ``named`` False hides the engineer (anonymous
    grading, for a grader who has not graded yet)."""
    profile = assessment.candidacy.profile
    return {
        "assessment": assessment,
        "company": assessment.company,
        "candidate": profile.user.display_name if named else candidate_label(assessment),
        "named": named,
        "zone": zone,
        "deadline_text": local_text(assessment.deadline, zone),
        "url": absolute(reverse("screening:assessment", args=[assessment.pk])),
        "grade_url": absolute(reverse("screening:assessment_grade", args=[assessment.pk])),
    }


def _tell_graders(assessment: Assessment, grades: Sequence[Grade]) -> None:
    graders = [g.grader for g in grades]
    zones = _zones(assessment.company, graders)
    for grade in grades:
        zone = zones.get(grade.grader_id, assessment.company.time_zone)
        email_send(
            to=grade.grader.email,
            template="email/assessment_grader",
            context=_team_context(assessment, zone, named=not assessment.anonymous)
            | {"grader": grade.grader},
            key=f"assessment-grader:{grade.pk}",
        )


def _tell_team(
    assessment: Assessment, template: str, event: str, *, graders: bool = False, **extra: Any
) -> None:
    """Email the sender (or the owners once the sender has left) and, with ``graders``,
    every grader; a grader who has not graded an anonymous assessment reads no name."""
    company = assessment.company
    recipients: dict[str, bool] = {to: True for to in team_recipients(company, assessment.sent_by)}
    grades = list(assessment.grades.select_related("grader")) if graders else []
    for grade in grades:
        named = not assessment.anonymous or grade.submitted_at is not None
        recipients[grade.grader.email] = recipients.get(grade.grader.email, True) and named
    memberships = Membership.objects.filter(company=company, user__email__in=list(recipients))
    zone_of = {
        m.user.email: m.time_zone or company.time_zone for m in memberships.select_related("user")
    }
    for to, named in recipients.items():
        zone = zone_of.get(to, company.time_zone)
        email_send(
            to=to,
            template=template,
            context=_team_context(assessment, zone, named=named) | extra,
            key=f"{event}:{assessment.pk}:{to}",
        )


# The engineer's side ------------------------------------------------------------------


def _check_engineer(assessment: Assessment, user: User) -> None:
    if assessment.candidacy.profile.user_id != user.pk:
        raise Refused("This assessment was sent to someone else.")


def _engineer_conflict(assessment: Assessment, now: datetime) -> Conflict:
    """What stops the engineer acting on an assessment that is no longer waiting."""
    assessment.refresh_from_db()
    if assessment.status in (Assessment.Status.SUBMITTED, Assessment.Status.GRADED):
        return Conflict("You have already handed in this assessment. Nothing was changed.")
    if assessment.status == Assessment.Status.WITHDRAWN:
        return Conflict(f"{assessment.company.name} withdrew this assessment. Nothing was changed.")
    return Conflict(
        "This assessment expired at its deadline; it can no longer be handed in or "
        "extended. Nothing was changed."
    )


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, user: User, url: str, note: str = "", now: datetime | None = None
) -> Assessment:
    """The engineer hands in a link (http or https) and an optional note before the
    deadline; the sender and the graders are told."""
    _check_engineer(assessment, user)
    now = now or timezone.now()
    link = web_link(url)
    text = (note or "").strip()
    if len(text) > 2000:
        raise Refused("The note can be at most 2,000 characters.")
    claimed = Assessment.objects.filter(
        pk=assessment.pk, status=Assessment.Status.SENT, deadline__gt=now
    ).update(
        status=Assessment.Status.SUBMITTED,
        submission_url=link,
        submission_note=text,
        submitted_at=now,
    )
    if not claimed:
        raise _engineer_conflict(assessment, now)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submission_url, assessment.submission_note, assessment.submitted_at = link, text, now
    _tell_team(assessment, "email/assessment_submitted", "assessment-submitted", graders=True)
    return assessment


@transaction.atomic
def extension_ask(
    *,
    assessment: Assessment,
    user: User,
    until: datetime,
    note: str,
    now: datetime | None = None,
) -> Assessment:
    """The engineer asks, once, to hand in later (at most 14 days after the current
    deadline), with a note; the team is told and grants or refuses."""
    _check_engineer(assessment, user)
    now = now or timezone.now()
    if assessment.status != Assessment.Status.SENT or assessment.deadline <= now:
        raise _engineer_conflict(assessment, now)
    if assessment.extension:
        raise Conflict(
            "You have already asked for more time once on this assessment. Nothing was sent."
        )
    text = (note or "").strip()
    if not text:
        raise Refused("Say why you need more time: the company reads it before answering.")
    if len(text) > 1000:
        raise Refused("The note can be at most 1,000 characters.")
    problem = extension_problem(assessment.deadline, until)
    if problem:
        raise Refused(problem)
    claimed = Assessment.objects.filter(
        pk=assessment.pk,
        status=Assessment.Status.SENT,
        extension=Assessment.Extension.NONE,
        deadline__gt=now,
    ).update(extension=Assessment.Extension.ASKED, extension_until=until, extension_note=text)
    if not claimed:
        assessment.refresh_from_db()
        if assessment.extension:
            raise Conflict("You have already asked for more time once on this assessment.")
        raise _engineer_conflict(assessment, now)
    assessment.extension = Assessment.Extension.ASKED
    assessment.extension_until, assessment.extension_note = until, text
    _tell_team(assessment, "email/assessment_extension_asked", "assessment-extension-asked")
    return assessment


# The company's side -------------------------------------------------------------------


@transaction.atomic
def extension_answer(
    *,
    assessment: Assessment,
    user: User,
    grant: bool,
    note: str = "",
    now: datetime | None = None,
) -> Assessment:
    """Grant (the deadline moves to the date asked, and the reminder is sent again for
    it) or refuse the engineer's request; the engineer is emailed either way."""
    now = now or timezone.now()
    text = (note or "").strip()[:1000]
    if assessment.status != Assessment.Status.SENT or assessment.deadline <= now:
        raise Conflict(
            "This assessment is no longer waiting for the engineer (handed in, expired or "
            "withdrawn), so there is nothing to extend. Nothing was changed."
        )
    if assessment.extension != Assessment.Extension.ASKED:
        raise Conflict("There is no request for more time waiting for an answer.")
    until = assessment.extension_until
    changes: dict[str, Any] = {"extension_answered_at": now}
    if grant:
        if until is None or until <= now:
            raise Conflict("The date the engineer asked for has passed. Nothing was changed.")
        changes |= {"extension": Assessment.Extension.GRANTED, "deadline": until}
        changes["reminded_at"] = None
    else:
        changes["extension"] = Assessment.Extension.REFUSED
    claimed = Assessment.objects.filter(
        pk=assessment.pk, status=Assessment.Status.SENT, extension=Assessment.Extension.ASKED
    ).update(**changes)
    if not claimed:
        raise Conflict("Someone on your team answered this request a moment ago.")
    for name, value in changes.items():
        setattr(assessment, name, value)
    email_send(
        to=assessment.candidacy.profile.user.email,
        template="email/assessment_extension_answered",
        context=_engineer_context(assessment, granted=grant, note=text),
        key=f"assessment-extension-answered:{assessment.pk}",
    )
    return assessment


@transaction.atomic
def assessment_withdraw(
    *, assessment: Assessment, user: User, note: str, now: datetime | None = None
) -> Assessment:
    """Take an open assessment back; the engineer is emailed with the team's note (the
    note lives in that email; the card stays where it is)."""
    now = now or timezone.now()
    text = (note or "").strip()
    if not text:
        raise Refused("Write a short note for the engineer: they are told why.")
    claimed = Assessment.objects.filter(pk=assessment.pk, status__in=OPEN_STATUSES).update(
        status=Assessment.Status.WITHDRAWN, closed_at=now
    )
    if not claimed:
        assessment.refresh_from_db()
        raise Conflict(
            f"This assessment is already {assessment.get_status_display().lower()}; only one "
            "that is waiting or being graded can be withdrawn."
        )
    assessment.status, assessment.closed_at = Assessment.Status.WITHDRAWN, now
    email_send(
        to=assessment.candidacy.profile.user.email,
        template="email/assessment_withdrawn",
        context=_engineer_context(assessment, note=text[:1000]),
        key=f"assessment-withdrawn:{assessment.pk}",
    )
    return assessment


@transaction.atomic
def graders_set(
    *, assessment: Assessment, user: User, graders: Iterable[User], now: datetime | None = None
) -> tuple[int, int]:
    """Make ``graders`` the assessment's graders: teammates are added (and emailed),
    those left out are removed unless they have already graded (they always stay).
    Returns (added, removed)."""
    now = now or timezone.now()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status not in OPEN_STATUSES:
        raise Conflict(
            f"This assessment is {locked.get_status_display().lower()}: its graders can no "
            "longer change."
        )
    wanted = {u.pk: u for u in _members(assessment.company, graders)}
    grades = list(locked.grades.all())
    keep = {g.grader_id for g in grades if g.submitted_at is not None} | set(wanted)
    if not keep:
        raise Refused("Keep at least one grader on the assessment.")
    removed = [g for g in grades if g.grader_id not in keep]
    Grade.objects.filter(pk__in=[g.pk for g in removed], submitted_at__isnull=True).delete()
    have = {g.grader_id for g in grades}
    added = Grade.objects.bulk_create(
        Grade(assessment=locked, grader=wanted[pk]) for pk in wanted if pk not in have
    )
    if added:
        _tell_graders(assessment, added)
    _finish_if_graded(assessment, now)
    return len(added), len(removed)


def _finish_if_graded(assessment: Assessment, now: datetime) -> bool:
    """Once every grader of a handed-in assessment has graded: graded, and the sender
    (or the owners) told."""
    if Grade.objects.filter(assessment=assessment, submitted_at__isnull=True).exists():
        return False
    if not Grade.objects.filter(assessment=assessment).exists():
        return False
    if not Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.SUBMITTED).update(
        status=Assessment.Status.GRADED, closed_at=now
    ):
        return False
    assessment.status, assessment.closed_at = Assessment.Status.GRADED, now
    grades = list(Grade.objects.filter(assessment=assessment))
    score = sum(weighted_total(assessment.rubric, g.scores) for g in grades) / len(grades)
    _tell_team(
        assessment,
        "email/assessment_graded",
        "assessment-graded",
        score=f"{score:.1f}",
        graded=len(grades),
    )
    return True


def grade_check(
    rubric: list[dict[str, Any]], scores: dict[str, Any], recommendation: Any
) -> dict[str, dict[str, Any]]:
    """The scores as stored ({key: {"score", "evidence"}}), or Refused: every criterion
    of the rubric and no other, each scored 1 to 4 with a short evidence note, and an
    overall recommendation."""
    keys = [c["key"] for c in rubric]
    unknown = sorted(set(scores) - set(keys))
    if unknown:
        raise Refused("Those scores are for criteria this rubric does not have. Nothing was saved.")
    clean: dict[str, dict[str, Any]] = {}
    for criterion in rubric:
        entry = scores.get(criterion["key"]) or {}
        try:
            score = int(entry.get("score") or 0)
        except (TypeError, ValueError):
            score = 0
        if score not in Score.values:
            raise Refused(f"Score “{criterion['name']}” from 1 to 4. Nothing was saved.")
        evidence = str(entry.get("evidence") or "").strip()
        if not evidence:
            raise Refused(
                f"Write the evidence behind your score for “{criterion['name']}”. "
                "Nothing was saved."
            )
        if len(evidence) > EVIDENCE_MAX:
            raise Refused(f"Keep each evidence note under {EVIDENCE_MAX} characters.")
        clean[criterion["key"]] = {"score": score, "evidence": evidence}
    if recommendation not in Recommendation.values:
        raise Refused("Give your overall recommendation: strong no, no, yes or strong yes.")
    return clean


@transaction.atomic
def grade_submit(
    *,
    assessment: Assessment,
    grader: User,
    scores: dict[str, Any],
    recommendation: int,
    now: datetime | None = None,
) -> Grade:
    """A grader's marks, final once submitted. When the last grader submits, the
    assessment is graded and the sender is emailed."""
    now = now or timezone.now()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    grade = Grade.objects.filter(assessment=locked, grader=grader).first()
    if grade is None:
        raise Refused("You are not a grader of this assessment.")
    if grade.submitted_at is not None:
        raise Conflict("You have already submitted your grade; it is final.")
    if locked.status == Assessment.Status.SENT:
        raise Conflict("The engineer has not handed in their work yet: there is nothing to grade.")
    if locked.status != Assessment.Status.SUBMITTED:
        raise Conflict(
            f"This assessment is {locked.get_status_display().lower()}; it can no longer be graded."
        )
    clean = grade_check(locked.rubric, scores, recommendation)
    if not Grade.objects.filter(pk=grade.pk, submitted_at__isnull=True).update(
        scores=clean, recommendation=recommendation, submitted_at=now
    ):
        raise Conflict("You have already submitted your grade; it is final.")
    grade.scores, grade.recommendation, grade.submitted_at = clean, recommendation, now
    assessment.status = locked.status
    _finish_if_graded(assessment, now)
    return grade


# A card that closes -------------------------------------------------------------------------


def on_card_closed(*, candidacy: Candidacy, move: Any) -> int:
    """A card closed while its engineer was still working on an assessment (the team's
    Not a fit, or the engineer stepping back): the assessment is withdrawn so nobody
    works on for nothing. The engineer is emailed when the team closed it (without the
    team's reason); work already handed in stays for the graders. Returns how many."""
    if move.to_stage not in CLOSED_STAGES:
        return 0
    waiting = Assessment.objects.filter(candidacy=candidacy, status=Assessment.Status.SENT)
    withdrawn = 0
    for assessment in waiting.select_related(*_SWEEP_RELATED):
        if not Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.SENT).update(
            status=Assessment.Status.WITHDRAWN, closed_at=move.at
        ):
            continue
        withdrawn += 1
        assessment.status, assessment.closed_at = Assessment.Status.WITHDRAWN, move.at
        if move.to_stage == Stage.NOT_A_FIT:
            email_send(
                to=assessment.candidacy.profile.user.email,
                template="email/assessment_withdrawn",
                context=_engineer_context(assessment, note=""),
                key=f"assessment-withdrawn:{assessment.pk}",
            )
    return withdrawn


@receiver(stage_changed, dispatch_uid="screening.assessments.on_card_closed")
def _stage_changed(sender: Any, *, candidacy: Candidacy, move: Any, **kwargs: Any) -> None:
    on_card_closed(candidacy=candidacy, move=move)


# The sweep ------------------------------------------------------------------------------


def assessment_expire(*, assessment: Assessment, now: datetime) -> bool:
    """At the deadline, an assessment still waiting for the engineer expires; the team
    and the engineer are told. Safe to run twice."""
    with transaction.atomic():
        if not Assessment.objects.filter(
            pk=assessment.pk, status=Assessment.Status.SENT, deadline__lte=now
        ).update(status=Assessment.Status.EXPIRED, closed_at=now):
            return False
        assessment.status, assessment.closed_at = Assessment.Status.EXPIRED, now
        email_send(
            to=assessment.candidacy.profile.user.email,
            template="email/assessment_expired",
            context=_engineer_context(assessment),
            key=f"assessment-expired:{assessment.pk}",
        )
        _tell_team(assessment, "email/assessment_expired_team", "assessment-expired-team")
    return True


def reminder_send(*, assessment: Assessment, now: datetime) -> bool:
    """The engineer's reminder of this deadline, when it is due (``reminder_at``) and
    the deadline has not passed. Claimed first, so it is sent once per deadline. No
    reminder falls due before the engineer was told the deadline (sent, or granted)."""
    zone = assessment.candidacy.profile.time_zone
    due = reminder_at(assessment.deadline, zone)
    told = assessment.sent_at
    if assessment.extension == Assessment.Extension.GRANTED and assessment.extension_answered_at:
        told = assessment.extension_answered_at
    if now < due or due < told or now >= assessment.deadline:
        return False
    with transaction.atomic():
        if not Assessment.objects.filter(
            pk=assessment.pk,
            status=Assessment.Status.SENT,
            reminded_at__isnull=True,
            deadline=assessment.deadline,
        ).update(reminded_at=now):
            return False
        email_send(
            to=assessment.candidacy.profile.user.email,
            template="email/assessment_reminder",
            context=_engineer_context(assessment),
            key=f"assessment-reminder:{assessment.pk}:{assessment.deadline:%Y%m%dT%H%M%S}",
        )
    return True


def assessment_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Expire what reached its deadline, then remind engineers 24 hours before theirs
    (at a sensible local hour). Safe to run twice: each is claimed first."""
    now = now or timezone.now()
    done = {"reminded": 0, "expired": 0}
    related = _SWEEP_RELATED
    due = Assessment.objects.filter(status=Assessment.Status.SENT, deadline__lte=now)
    for assessment in due.select_related(*related).order_by("deadline").iterator(chunk_size=200):
        if assessment_expire(assessment=assessment, now=now):
            done["expired"] += 1
    soon = Assessment.objects.filter(
        status=Assessment.Status.SENT,
        reminded_at__isnull=True,
        deadline__gt=now,
        deadline__lte=now + REMINDER_BEFORE + MAX_REMINDER_SHIFT,
    )
    for assessment in soon.select_related(*related).order_by("deadline").iterator(chunk_size=200):
        if reminder_send(assessment=assessment, now=now):
            done["reminded"] += 1
    return done
