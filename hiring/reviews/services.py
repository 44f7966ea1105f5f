"""Ending a contract, the handover checklist, and the two-sided blind reviews.

The end of a contract: either side gives notice with a reason and a last day
(``contract_end``: ACTIVE → ENDING). The sweep (``ending_sweep``, every 15 minutes)
ends it once that day, or the version's agreed end date, has passed in the engineer's
zone (→ ENDED): open change orders lapse, ``contract_ended`` is sent, and both sides
are asked to review within ``Contract.REVIEW_DAYS`` days.

Reviews are blind: each side writes one, which nobody on the other side sees (nor
learns exists) until both are in or the days are up; then the sweep publishes what
was written, at once for both. The side reviewed may reply once, and may report a
review to staff, who can hide it from the admin (``review_hide``).

Every change that the sweep and a person could both make is made under the
contract's row lock or claimed with a conditional update, so running the sweep
twice, or alongside a review coming in, does nothing twice. Every email carries
an idempotency key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.emails import absolute, email_send
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.models import User
from hiring.contracts.common import (
    contract_line,
    contract_lock,
    day_text,
    engineer_today,
    engineer_zone,
    other_side,
    side_emails,
    text_clean,
)
from hiring.contracts.events import contract_ended
from hiring.models import (
    ChangeOrder,
    Contract,
    ContractReview,
    ContractVersion,
    HandoverItem,
    HandoverTick,
    Side,
)

#: The sub-scores each side gives: the company rates the engineer, the engineer the company.
SCORES: dict[str, tuple[str, ...]] = {
    Side.COMPANY: ("quality", "communication", "reliability", "time_zones"),
    Side.ENGINEER: ("clarity", "responsiveness", "paying_on_time"),
}
#: Where a review's scores may be: stars, then each sub-score.
SCORE_RANGE = range(1, 6)


# Dates -------------------------------------------------------------------------------


def trial_last_day(contract: Contract) -> date | None:
    """The last day of the version's paid trial (None without one)."""
    version = contract.current
    if version is None or not version.trial_weeks:
        return None
    return version.start_on + timedelta(days=7 * version.trial_weeks - 1)


def in_trial(contract: Contract, now: datetime | None = None) -> bool:
    trial = trial_last_day(contract)
    return trial is not None and engineer_today(contract, now) <= trial


def earliest_end(contract: Contract, now: datetime | None = None) -> date:
    """The first last day that respects the notice period: the engineer's local today
    plus the version's notice days; during the paid trial, today (the terms let either
    side stop then without the notice period)."""
    now = now or timezone.now()
    if in_trial(contract, now):
        return engineer_today(contract, now)
    notice = contract.current.notice_days if contract.current else 0
    return engineer_today(contract, now) + timedelta(days=notice)


def latest_end(contract: Contract) -> date | None:
    """The version's agreed end date (no notice may run past it), or None if open-ended."""
    return contract.current.end_on if contract.current else None


def end_refusal(contract: Contract, now: datetime | None = None) -> Refused | None:
    """Why notice cannot be given on this contract now, or None."""
    if contract.status == Contract.Status.ENDING:
        assert contract.ends_on is not None
        return Conflict(
            f"Notice has already been given: this contract ends after "
            f"{day_text(contract.ends_on)}. Nothing was changed."
        )
    if contract.status != Contract.Status.ACTIVE:
        return Conflict(
            "Only an active contract can be ended; this one is "
            f"{contract.get_status_display().lower()}. Nothing was changed."
        )
    earliest, latest = earliest_end(contract, now), latest_end(contract)
    if latest is not None and earliest > latest:
        return Conflict(
            f"This contract ends on its agreed end date, {day_text(latest)}, before a "
            "notice given today could run out: there is nothing to end early. "
            "Nothing was changed."
        )
    return None


def _midnight_after(day: date, zone: str) -> datetime:
    """The moment ``day`` is over in ``zone``."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))


def _version(contract: Contract) -> ContractVersion:
    """The version in force (every contract past its draft has one)."""
    assert contract.current is not None
    return contract.current


# Who is told ----------------------------------------------------------------------------


def _context(contract: Contract, side: str, **extra: Any) -> dict[str, Any]:
    """What every email of this part knows, for a reader on ``side``."""
    other = contract.company.name if side == Side.ENGINEER else contract.profile.user.display_name
    context = {
        "contract": contract,
        "title": contract.current.title if contract.current else "your contract",
        "company": contract.company,
        "engineer": contract.profile.user,
        "for_engineer": side == Side.ENGINEER,
        "other": other,
        "url": absolute(reverse("hiring:contract_detail", args=[contract.pk])),
    }
    context.update(extra)
    return context


def _tell(contract: Contract, side: str, template: str, key: str, **extra: Any) -> None:
    for to in side_emails(contract, side):
        email_send(
            to=to,
            template=f"hiring/reviews/email/{template}",
            context=_context(contract, side, **extra),
            key=f"{key}:{contract.pk}:{to}",
        )


# Giving notice -----------------------------------------------------------------------------


@transaction.atomic
def contract_end(
    *,
    contract: Contract,
    by: User,
    side: str,
    reason: str,
    ends_on: date,
    now: datetime | None = None,
) -> Contract:
    """Either side gives notice: a reason and the last day of the contract, on or after
    the engineer's local today plus the notice days, and not after the version's end
    date. The contract is ENDING until the sweep ends it; open change orders stay open
    until then. The other side is emailed; the thread gets a line."""
    now = now or timezone.now()
    if side not in Side.values:
        raise ValueError(side)
    why = text_clean(reason, what="why the contract ends", required=True)
    locked = contract_lock(contract)
    refusal = end_refusal(locked, now)
    if refusal is not None:
        raise refusal
    earliest, latest = earliest_end(locked, now), latest_end(locked)
    if ends_on < earliest and in_trial(locked, now):
        raise Refused(
            f"That date has passed: during the paid trial the earliest is today, "
            f"{day_text(earliest)}. Nothing was saved."
        )
    if ends_on < earliest:
        raise Refused(
            f"That date is inside the notice period: the earliest is {day_text(earliest)} "
            f"({_version(locked).notice_days} days' notice from today, "
            f"{day_text(engineer_today(locked, now))}). Nothing was saved."
        )
    if latest is not None and ends_on > latest:
        raise Refused(
            f"That date is after the contract's agreed end date, {day_text(latest)}: "
            f"choose a day up to {day_text(latest)}. Nothing was saved."
        )
    locked.status = Contract.Status.ENDING
    locked.end_side, locked.end_by, locked.end_reason = side, by, why
    locked.end_requested_at, locked.ends_on = now, ends_on
    locked.save(
        update_fields=["status", "end_side", "end_by", "end_reason", "end_requested_at", "ends_on"]
    )
    who = locked.company.name if side == Side.COMPANY else locked.profile.user.display_name
    contract_line(
        locked,
        f"{who} gave notice to end the contract “{_version(locked).title}”: "
        f"its last day is {day_text(ends_on)}.",
        engineer_sees_new=side == Side.COMPANY,
    )
    _tell(
        locked,
        other_side(side),
        "contract_ending",
        "contract-ending",
        who=who,
        reason=why,
        last_day=day_text(ends_on),
        by_engineer=side == Side.ENGINEER,
    )
    return locked


# The handover checklist ------------------------------------------------------------------


@transaction.atomic
def handover_tick(
    *, contract: Contract, by: User, side: str, item: str, ticked: bool = True
) -> bool:
    """One side ticks (or unticks) one item of the handover checklist. Ticking is open
    once notice is given and stays open after the end; ticking twice keeps the first
    tick. Unticking is allowed only while the contract is ending: once it has ended,
    the checklist stands as it was. Returns whether the item is now ticked by ``side``."""
    if item not in HandoverItem.values:
        raise Refused("Choose an item of the handover checklist. Nothing was saved.")
    if side not in Side.values:
        raise ValueError(side)
    locked = contract_lock(contract)
    if locked.status not in (Contract.Status.ENDING, Contract.Status.ENDED):
        raise Conflict(
            "The handover checklist opens once notice is given to end the contract. "
            "Nothing was saved."
        )
    if ticked:
        HandoverTick.objects.get_or_create(
            contract=locked, item=item, side=side, defaults={"by": by}
        )
        return True
    if locked.status == Contract.Status.ENDED:
        raise Conflict(
            "The contract has ended: the handover checklist is kept as it was. Nothing was changed."
        )
    HandoverTick.objects.filter(contract=locked, item=item, side=side).delete()
    return False


# The sweep ------------------------------------------------------------------------------------


def ending_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """End the contracts whose last day has passed in the engineer's zone (notice run
    out, or the version's end date reached), then publish the reviews of ended
    contracts where both are in or the review days are up. Safe to run twice.
    Returns how many contracts were ended and how many had their reviews published."""
    now = now or timezone.now()
    # No zone's today is later than UTC+14's: a cheap bound; each is checked exactly.
    bound = (now + timedelta(hours=14)).date()
    candidates = Contract.objects.filter(
        Q(status=Contract.Status.ENDING, ends_on__lt=bound)
        | Q(status__in=(Contract.Status.ACTIVE, Contract.Status.ENDING), current__end_on__lt=bound)
    ).order_by("pk")
    ended = 0
    for pk in candidates.values_list("pk", flat=True):
        if _end(pk, now):
            ended += 1
    due = (
        Contract.objects.filter(status=Contract.Status.ENDED, reviews_published_at__isnull=True)
        .annotate(written=Count("reviews"))
        .filter(Q(written__gte=2) | Q(reviews_close_at__lte=now))
        .order_by("pk")
    )
    published = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            if _publish(Contract(pk=pk), now):
                published += 1
    return {"ended": ended, "published": published}


def last_day(contract: Contract) -> date | None:
    """The last day of a running contract: the version's end date, or the notice's
    last day if notice was given (whichever comes first); None if open-ended."""
    notice = contract.ends_on if contract.status == Contract.Status.ENDING else None
    days = [d for d in (notice, latest_end(contract)) if d is not None]
    return min(days) if days else None


@transaction.atomic
def _end(pk: int, now: datetime) -> bool:
    """End one contract if its last day is over in the engineer's zone (checked again
    under the row lock: a second sweep finds it ENDED and does nothing)."""
    locked = contract_lock(Contract(pk=pk))
    if locked.status not in (Contract.Status.ACTIVE, Contract.Status.ENDING):
        return False
    day = last_day(locked)
    if day is None or now < _midnight_after(day, engineer_zone(locked)):
        return False
    locked.status = Contract.Status.ENDED
    locked.ends_on = day
    locked.ended_at = now
    locked.reviews_close_at = now + timedelta(days=Contract.REVIEW_DAYS)
    locked.save(update_fields=["status", "ends_on", "ended_at", "reviews_close_at"])
    ChangeOrder.objects.filter(contract=locked, status=ChangeOrder.Status.OPEN).update(
        status=ChangeOrder.Status.LAPSED, answered_at=now
    )
    contract_ended.send(sender=Contract, contract=locked)
    contract_line(
        locked,
        f"The contract “{_version(locked).title}” ended after {day_text(day)}. "
        f"Both sides may review it within {Contract.REVIEW_DAYS} days.",
        engineer_sees_new=True,
    )
    for side in (Side.ENGINEER, Side.COMPANY):
        _tell(
            locked,
            side,
            "contract_ended",
            "contract-ended",
            last_day=day_text(day),
            review_url=absolute(reverse("hiring:review_new", args=[locked.pk])),
            closes=_close_text(locked, side),
            days=Contract.REVIEW_DAYS,
        )
    return True


def _close_text(contract: Contract, side: str) -> str:
    """When the review days end, in the reader's zone."""
    assert contract.reviews_close_at is not None
    zone = contract.profile.time_zone if side == Side.ENGINEER else contract.company.time_zone
    moment = timezone.localtime(contract.reviews_close_at, ZoneInfo(zone))
    return f"{day_text(moment.date())}, {moment:%H:%M} {moment:%Z}"


def _publish(contract: Contract, now: datetime) -> bool:
    """Publish what was written on one ended contract, once: the claim is a conditional
    update of ``reviews_published_at``. Both sides are told when anything was written.
    Call inside a transaction."""
    claimed = Contract.objects.filter(
        pk=contract.pk, status=Contract.Status.ENDED, reviews_published_at__isnull=True
    ).update(reviews_published_at=now)
    if not claimed:
        return False
    written = ContractReview.objects.filter(contract_id=contract.pk, published_at__isnull=True)
    sides = set(written.values_list("side", flat=True))
    written.update(published_at=now)
    if not sides:
        return True
    full = (
        Contract.objects.select_related("company", "profile__user", "current")
        .filter(pk=contract.pk)
        .get()
    )
    for side in (Side.ENGINEER, Side.COMPANY):
        _tell(
            full,
            side,
            "reviews_published",
            "reviews-published",
            wrote=side in sides,
            reviewed=other_side(side) in sides,
        )
    return True


# Reviews ---------------------------------------------------------------------------------------


def review_refusal(contract: Contract, side: str, now: datetime | None = None) -> Refused | None:
    """Why ``side`` cannot review this contract now, or None. Reads the contract's
    own columns only; whether this side has written its review is checked on saving."""
    now = now or timezone.now()
    if contract.status in (Contract.Status.ACTIVE, Contract.Status.ENDING):
        return Conflict(
            "Reviews open once the contract has ended"
            + (f" (its last day is {day_text(contract.ends_on)})" if contract.ends_on else "")
            + ". Nothing was saved."
        )
    if contract.status != Contract.Status.ENDED:
        return Conflict("Only a contract that ran and ended can be reviewed. Nothing was saved.")
    closes = contract.reviews_close_at
    if contract.reviews_published_at is not None or closes is None or now >= closes:
        return Conflict(
            f"Reviews of this contract closed {Contract.REVIEW_DAYS} days after it ended. "
            "Nothing was saved."
        )
    return None


def _scores(side: str, stars: Any, scores: dict[str, Any]) -> dict[str, int | None]:
    """The stars and this side's sub-scores, each 1 to 5 (sub-scores may be left out)."""
    unknown = set(scores) - set(SCORES[side])
    if unknown:
        raise Refused("The form named a score this review does not have. Nothing was saved.")
    values: dict[str, int | None] = {}
    for name, value in [("stars", stars), *((n, scores.get(n)) for n in SCORES[side])]:
        if value is None and name != "stars":
            values[name] = None
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value not in SCORE_RANGE:
            raise Refused("Scores are whole stars from 1 to 5. Nothing was saved.")
        values[name] = value
    return values


@transaction.atomic
def review_create(
    *,
    contract: Contract,
    by: User,
    side: str,
    stars: int,
    scores: dict[str, Any],
    public_text: str,
    private_note: str = "",
    now: datetime | None = None,
) -> ContractReview:
    """One side's review of an ended contract, within its review days; one per side
    (a second is a Conflict). Nobody on the other side sees it until it is published:
    at once when it is the second review, else by the sweep when the days are up."""
    now = now or timezone.now()
    if side not in Side.values:
        raise ValueError(side)
    values = _scores(side, stars, scores)
    text = text_clean(public_text, what="your public review", required=True)
    note = text_clean(private_note, what="the note to Karigar staff", required=False)
    locked = contract_lock(contract)
    refusal = review_refusal(locked, side, now)
    if refusal is not None:
        raise refusal
    written = set(ContractReview.objects.filter(contract=locked).values_list("side", flat=True))
    if side in written:
        raise Conflict(
            "Your side has already reviewed this contract: there is one review per side. "
            "Nothing was saved."
        )
    review = ContractReview.objects.create(
        contract=locked,
        side=side,
        author=by,
        profile_id=locked.profile_id,
        company_id=locked.company_id,
        public_text=text,
        private_note=note,
        created_at=now,
        **values,
    )
    if other_side(side) in written:
        _publish(locked, now)
        review.refresh_from_db(fields=["published_at"])
    return review


def check_reviewed_side(review: ContractReview, side: str, what: str) -> None:
    if review.side == side:
        raise NotAllowed(f"This is your side's own review: {what} is for the side reviewed.")
    if review.published_at is None:  # the views' fetch hides it first; kept for callers
        raise Conflict(f"This review is not published yet: {what} comes after. Nothing was saved.")
    if review.hidden_at is not None:
        raise Conflict(
            f"Karigar staff hid this review, so it is not shown to anyone: no {what} is "
            "needed. Nothing was saved."
        )


def _lock_review(review: ContractReview) -> ContractReview:
    return ContractReview.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def review_reply(
    *, review: ContractReview, by: User, side: str, text: str, now: datetime | None = None
) -> ContractReview:
    """The side reviewed answers a published review in public, once."""
    now = now or timezone.now()
    body = text_clean(text, what="your reply", required=True)
    locked = _lock_review(review)
    check_reviewed_side(locked, side, "a reply")
    if locked.replied_at is not None:
        raise Conflict(
            "This review already has its reply: there is one public reply per review. "
            "Nothing was saved."
        )
    locked.reply_text, locked.replied_at, locked.replied_by = body, now, by
    locked.save(update_fields=["reply_text", "replied_at", "replied_by"])
    return locked


@transaction.atomic
def review_report(
    *, review: ContractReview, by: User, side: str, note: str, now: datetime | None = None
) -> ContractReview:
    """The side reviewed asks staff to look at a published review, saying why. Staff
    see it in the admin (reported reviews) and may hide it."""
    now = now or timezone.now()
    why = text_clean(note, what="what is wrong with this review", required=True)
    locked = _lock_review(review)
    check_reviewed_side(locked, side, "a report")
    if locked.reported_at is not None:
        raise Conflict(
            "This review has already been reported; Karigar staff will look at it. "
            "Nothing was changed."
        )
    locked.reported_at, locked.reported_by, locked.report_note = now, by, why
    locked.save(update_fields=["reported_at", "reported_by", "report_note"])
    return locked


# Staff ------------------------------------------------------------------------------------------


@transaction.atomic
def review_hide(
    *, reviews: Iterable[ContractReview], by: User, note: str, now: datetime | None = None
) -> int:
    """Staff hide reviews, with a note saying why: they are shown nowhere any more.
    Already hidden ones keep their first note. Returns how many were hidden."""
    now = now or timezone.now()
    why = text_clean(note, what="why the review is hidden", required=True)
    return ContractReview.objects.filter(
        pk__in=[r.pk for r in reviews], hidden_at__isnull=True
    ).update(hidden_at=now, hidden_by=by, hidden_note=why)


@transaction.atomic
def review_show(*, reviews: Iterable[ContractReview]) -> int:
    """Staff show hidden reviews again. Returns how many."""
    return ContractReview.objects.filter(
        pk__in=[r.pk for r in reviews], hidden_at__isnull=False
    ).update(hidden_at=None, hidden_by=None, hidden_note="")


# Personal data (accounts.registry) -------------------------------------------------------------


def _review_data(review: ContractReview) -> dict[str, Any]:
    return {
        "stars": review.stars,
        **{name: getattr(review, name) for name in SCORES[review.side]},
        "public_text": review.public_text,
        "published": review.published_at,
        "reply": review.reply_text,
    }


def person_data_export(user: User) -> dict[str, Any]:
    """Reviews in a person's export: the ones they wrote (with their own note to staff)
    and the replies they wrote; an engineer's also the published reviews of their work.
    Never a review of theirs the other side has not published, nor its note to staff."""
    data: dict[str, Any] = {}
    written = ContractReview.objects.filter(author=user).select_related("company", "profile__user")
    if written:
        data["reviews_you_wrote"] = [
            {
                "about": r.profile.user.display_name if r.side == Side.COMPANY else r.company.name,
                **_review_data(r),
                "note_to_staff": r.private_note,
                "written": r.created_at,
            }
            for r in written
        ]
    about = ContractReview.objects.filter(
        profile__user=user, side=Side.COMPANY, published_at__isnull=False, hidden_at__isnull=True
    ).select_related("company")
    if about:
        data["reviews_of_your_work"] = [{"by": r.company.name, **_review_data(r)} for r in about]
    replies = ContractReview.objects.filter(replied_by=user)
    if replies:
        data["review_replies_you_wrote"] = [
            {"reply": r.reply_text, "replied": r.replied_at} for r in replies
        ]
    return data
