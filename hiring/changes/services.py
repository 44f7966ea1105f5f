"""Every write of scope changes: proposing a change order, and the answers to it
(accept, reject, counter, withdraw).

A change order proposes a new version against the version in force (its ``base``). The
proposal is a full copy of the base (``terms.version_copy``) with the changes applied:
scope, rate, weekly hours cap, end date, and the milestones still ahead (selectors
``milestone_states``); the others are copied unchanged. The proposal is checked by the
one set of rules (``rules.terms_errors``) and frozen unnumbered: from then on it never
changes. Accepting it gives it the next number and makes it the version in force, with
an acceptance for each side carrying its hash: the proposer's (when they proposed it)
and the accepter's.

Every write locks the contract row first (``contract_for_user(for_update=True)``), so
two answers to one change order, or two proposals on one contract, take turns; the
second one finds the first one's result and gets a Conflict. One open change order per
contract is also a database constraint. A change order whose base is no longer the
version in force, or whose contract is no longer active, lapses when someone tries to
act on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.emails import absolute, email_send
from accounts.errors import Conflict, Refused
from accounts.models import User
from hiring.changes import selectors
from hiring.contracts import terms
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import (
    contract_line,
    engineer_today,
    other_side,
    side_emails,
    text_clean,
)
from hiring.contracts.events import version_in_force
from hiring.contracts.rules import Errors, terms_errors
from hiring.models import (
    ChangeOrder,
    Contract,
    ContractVersion,
    Milestone,
    Side,
    VersionAcceptance,
)

WAITING = (
    "A change to this contract is already waiting for an answer: answer or withdraw it "
    "before proposing another. Nothing was saved."
)
#: The terms a change order may change; the milestones ahead besides.
CHANGEABLE: tuple[str, ...] = ("scope", "rate", "hours_cap", "end_on")
_LENGTHS = {"title": 120, "acceptance_criteria": 2000}


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone as the form sends it: ``key`` empty for a new one."""

    key: str
    title: str
    acceptance_criteria: str
    due_on: date
    amount: Decimal | None
    remove: bool = False


@dataclass(frozen=True)
class Proposed:
    """What a side proposes: the changeable terms and the milestones it sends (those still
    ahead, and new ones); a milestone it does not send stays as it is."""

    scope: str
    rate: Decimal
    hours_cap: int | None
    end_on: date | None
    milestones: Sequence[MilestoneRow] = ()
    note: str = ""


class TermsRefused(Refused):
    """The proposed terms break the contract's rules; ``errors`` as ``terms_errors`` gives
    them (by field), so a form can show each where it belongs."""

    def __init__(self, errors: Errors) -> None:
        self.errors = errors
        messages = [message for found in errors.values() for message in found]
        super().__init__(" ".join(messages) + " Nothing was saved.")


# Checks ---------------------------------------------------------------------------------


def propose_refusal(contract: Contract, waiting: ChangeOrder | None) -> Refused | None:
    """Why a change cannot be proposed on this contract now, or None."""
    if contract.status != Contract.Status.ACTIVE:
        return Conflict(
            "Changes can be proposed while a contract is active; this one is "
            f"{contract.get_status_display().lower()}. Nothing was saved."
        )
    if contract.current is None or contract.current.number is None:
        return Conflict("This contract has no version in force yet. Nothing was saved.")
    if waiting is not None:
        return Conflict(WAITING)
    return None


_CLOSED = {
    ChangeOrder.Status.ACCEPTED: "This change was already accepted",
    ChangeOrder.Status.REJECTED: "This change was already rejected",
    ChangeOrder.Status.COUNTERED: "This change was already answered with a counter-proposal",
    ChangeOrder.Status.WITHDRAWN: "This change was withdrawn",
    ChangeOrder.Status.LAPSED: "This change lapsed: the contract moved on since",
}


def _check_open(change: ChangeOrder) -> None:
    if change.status != ChangeOrder.Status.OPEN:
        raise Conflict(
            f"{_CLOSED[ChangeOrder.Status(change.status)]}; it can no longer be answered. "
            "Nothing was changed."
        )


def _check_other_side(change: ChangeOrder, side: str, *, action: str) -> None:
    if change.side == side:
        raise Conflict(
            f"Your side proposed this change, so the other side must {action} it. You can "
            "withdraw it instead. Nothing was changed."
        )


def _lapse_if_stale(change: ChangeOrder, contract: Contract) -> Conflict | None:
    """Mark an open change lapsed when its contract moved on; return the Conflict to raise
    once the lapse is saved (raising inside the transaction would undo it)."""
    if contract.status != Contract.Status.ACTIVE:
        why = (
            f"The contract is {contract.get_status_display().lower()}, so changes to it are "
            "closed. This change has lapsed. Nothing else was changed."
        )
    elif change.base_id != contract.current_id:
        why = (
            "This change was proposed against a version that is no longer in force, so it "
            "has lapsed. Propose it again against the version in force. Nothing else was "
            "changed."
        )
    else:
        return None
    change.status = ChangeOrder.Status.LAPSED
    change.answered_at = timezone.now()
    change.save(update_fields=["status", "answered_at"])
    return Conflict(why)


# Proposing -----------------------------------------------------------------------------------


def _values(m: Milestone | MilestoneRow) -> tuple[Any, ...]:
    amount = m.amount if m.amount is None else Decimal(m.amount).quantize(Decimal("0.01"))
    return (m.title.strip(), m.acceptance_criteria.strip(), m.due_on, amount)


def _item(m: Milestone | MilestoneRow, key: str, order: int) -> dict[str, Any]:
    return {
        "key": key,
        "title": m.title.strip(),
        "acceptance_criteria": m.acceptance_criteria.strip(),
        "due_on": m.due_on,
        "amount": m.amount,
        "order": order,
    }


def _compose(
    states: Sequence[selectors.MilestoneState],
    source: Sequence[Milestone],
    rows: Sequence[MilestoneRow],
) -> list[dict[str, Any]]:
    """The proposal's milestones, by due date: the locked ones of the version in force as
    they are; those of ``source`` (the version the form started from) as sent, kept when
    not sent, dropped when removed; then the new ones."""
    locked = {s.milestone.key: s for s in states if not s.editable}
    editable = {m.key: m for m in source if m.key not in locked}
    sent: dict[str, MilestoneRow] = {}
    added: list[MilestoneRow] = []
    for row in rows:
        if not row.key:
            if not row.remove:
                added.append(row)
            continue
        if row.key in sent:
            raise Refused("A milestone appears twice on the form. Nothing was saved.")
        state = locked.get(row.key)
        if state is not None:
            if row.remove or _values(row) != _values(state.milestone):
                raise Conflict(
                    f"“{state.milestone.title}” can no longer change: {state.why_locked}. "
                    "Leave it as it is. Nothing was saved."
                )
            continue
        if row.key not in editable:
            raise Refused(
                "A milestone on the form is not part of this contract: reload the page and "
                "try again. Nothing was saved."
            )
        sent[row.key] = row
    final = []
    for order, m in enumerate(source):
        if m.key in locked:
            continue
        update = sent.get(m.key)
        if update is None:
            final.append(_item(m, m.key, order))
        elif not update.remove:
            final.append(_item(update, m.key, order))
    final += [_item(s.milestone, key, s.milestone.position) for key, s in locked.items()]
    final += [_item(row, terms.new_milestone_key(), 1000 + n) for n, row in enumerate(added)]
    final.sort(key=lambda item: (item["due_on"], item["order"]))
    return final


def _text_errors(values: dict[str, Any], milestones: list[dict[str, Any]]) -> Errors:
    """Lengths and required texts, so a direct call can never reach the database with them."""
    errors: Errors = {}
    scope = (values.get("scope") or "").strip()
    if not scope:
        errors.setdefault("scope", []).append("Describe the scope of work.")
    elif len(scope) > 5000:
        errors.setdefault("scope", []).append("Keep the scope under 5,000 characters.")
    for n, m in enumerate(milestones, start=1):
        if not m["title"]:
            errors.setdefault("milestones", []).append(f"Give milestone {n} a title.")
        for name, limit in _LENGTHS.items():
            if len(m[name]) > limit:
                errors.setdefault("milestones", []).append(
                    f"“{m['title'][:40]}”: keep the {name.replace('_', ' ')} under "
                    f"{limit:,} characters."
                )
    return errors


def _past_errors(
    milestones: list[dict[str, Any]], locked: set[str], start: date, today: date
) -> list[str]:
    """Milestones that would be due before today (a change only moves work ahead)."""
    return [
        f"“{m['title']}” would be due on {date_format(m['due_on'], 'j M Y')}, which has "
        "passed: choose today or later."
        for m in milestones
        if m["key"] not in locked and start <= m["due_on"] < today
    ]


def _end_passed(end: date | None, current: ContractVersion, today: date) -> str:
    """What is wrong with a new end date that has passed (the engineer's today), or "":
    a change moves the end ahead or closer, never into the past."""
    if end is None or end == current.end_on or end >= today:
        return ""
    return f"The new end date, {date_format(end, 'j M Y')}, has passed:"


def _apply_milestones(proposal: ContractVersion, final: list[dict[str, Any]]) -> None:
    existing = {m.key: m for m in proposal.milestones.all()}
    keep = {item["key"] for item in final}
    proposal.milestones.exclude(key__in=keep).delete()
    changed, created = [], []
    for position, item in enumerate(final):
        fields = {name: item[name] for name in terms.MILESTONE_FIELDS}
        found = existing.get(item["key"])
        if found is None:
            created.append(
                Milestone(version=proposal, key=item["key"], position=position, **fields)
            )
            continue
        for name, value in {**fields, "position": position}.items():
            setattr(found, name, value)
        changed.append(found)
    Milestone.objects.bulk_update(changed, [*terms.MILESTONE_FIELDS, "position"])
    Milestone.objects.bulk_create(created)


def _propose(
    contract: Contract,
    *,
    side: str,
    by: User,
    source: ContractVersion,
    proposed: Proposed,
    counter_of: ChangeOrder | None,
    today: date | None,
) -> ChangeOrder:
    """Make the frozen proposal and its change order (the contract row is locked)."""
    current = contract.current
    assert current is not None and current.number is not None
    note = text_clean(proposed.note, what="a note saying why", required=True)
    states = selectors.milestone_states(contract, current, today=today)
    source_milestones = sorted(source.milestones.all(), key=lambda m: (m.position, m.pk))
    final = _compose(states, source_milestones, proposed.milestones)
    values = {name: getattr(current, name) for name in terms.TERM_FIELDS}
    values.update(
        scope=(proposed.scope or "").strip(),
        rate=proposed.rate,
        hours_cap=proposed.hours_cap,
        end_on=proposed.end_on,
    )
    errors = _text_errors(values, final) or terms_errors(values, final)
    locked = {s.milestone.key for s in states if not s.editable}
    today = today or engineer_today(contract)
    past = _past_errors(final, locked, current.start_on, today)
    if past:
        errors.setdefault("milestones", []).extend(past)
    ended = _end_passed(values["end_on"], current, today)
    if ended:
        errors.setdefault("end_on", []).append(ended + " choose today or later.")
    if errors:
        raise TermsRefused(errors)

    proposal = terms.version_copy(current, by=by)
    for name in CHANGEABLE:
        setattr(proposal, name, values[name])
    proposal.save()
    _apply_milestones(proposal, final)
    # Read back what was stored: the hash is of the stored values ("7000.00", not the
    # "7000" that was typed), the same a later check recomputes.
    proposal.refresh_from_db()
    proposed_content = terms.content(proposal)
    if not terms.diff(terms.content(current), proposed_content):
        raise Refused(
            f"This changes nothing in version {current.number}: change the scope, the rate, "
            "the hours, the end date or a milestone ahead. Nothing was saved."
        )
    if counter_of is not None and not terms.diff(
        terms.content(counter_of.proposal), proposed_content
    ):
        raise Refused(
            "This counter-proposal is the same as the change it answers: accept that one "
            "instead, or change what you cannot accept. Nothing was saved."
        )
    terms.version_freeze(proposal, number=None)
    try:
        with transaction.atomic():
            return ChangeOrder.objects.create(
                contract=contract,
                base=current,
                proposal=proposal,
                counter_of=counter_of,
                side=side,
                proposed_by=by,
                note=note,
            )
    except IntegrityError:  # the one-open constraint; the contract lock makes it rare
        raise Conflict(WAITING) from None


@transaction.atomic
def change_propose(
    *, contract: Contract, by: User, proposed: Proposed, today: date | None = None
) -> ChangeOrder:
    """Either side proposes a change to the version in force. The other side is emailed
    and the thread gets a line. Refused with the rules' messages, or Conflict when the
    contract is not active or a change is already waiting; nothing is saved then."""
    locked, side = contract_for_user(by, contract.pk, for_update=True)
    waiting = (
        ChangeOrder.objects.select_for_update()
        .filter(contract=locked, status=ChangeOrder.Status.OPEN)
        .first()
    )
    if waiting is not None and waiting.base_id != locked.current_id:
        _lapse_if_stale(waiting, locked)  # a leftover from before the version changed
        waiting = None
    refusal = propose_refusal(locked, waiting)
    if refusal is not None:
        raise refusal
    change = _propose(
        locked,
        side=side,
        by=by,
        source=locked.current,  # type: ignore[arg-type]
        proposed=proposed,
        counter_of=None,
        today=today,
    )
    _tell_proposed(locked, change)
    return change


# Answering -----------------------------------------------------------------------------------


def _changed_keys(base: ContractVersion, proposal: ContractVersion) -> list[str]:
    """The milestones of ``base`` that ``proposal`` changes or removes."""
    after = {m.key: m for m in proposal.milestones.all()}
    return [
        m.key
        for m in base.milestones.all()
        if m.key not in after or _values(after[m.key]) != _values(m)
    ]


def change_accept(
    *, contract: Contract, change: ChangeOrder, by: User, content_hash: str = "", note: str = ""
) -> ChangeOrder:
    """The other side accepts: the proposal becomes the next version, in force, accepted by
    both (the proposer when they proposed it, the accepter now), each acceptance with its
    hash. ``content_hash``, when given, is the one the accepter read: it must match."""
    text = text_clean(note, what="your note", required=False)
    with transaction.atomic():
        locked, side = contract_for_user(by, contract.pk, for_update=True)
        found = selectors.get_change(locked, change.pk, for_update=True)
        _check_open(found)
        _check_other_side(found, side, action="accept")
        refusal = _lapse_if_stale(found, locked)
        if refusal is None:
            _accept(locked, found, side=side, by=by, content_hash=content_hash, note=text)
    if refusal is not None:
        raise refusal
    return found


def _accept(
    contract: Contract, change: ChangeOrder, *, side: str, by: User, content_hash: str, note: str
) -> None:
    proposal, previous = change.proposal, contract.current
    assert previous is not None and previous.number is not None
    digest = terms.content_hash(terms.content(proposal))
    if digest != proposal.content_hash or (content_hash and content_hash != digest):
        raise Conflict(
            "What you accepted is not the proposal on record: reload the page and read it "
            "again. Nothing was changed."
        )
    ended = _end_passed(proposal.end_on, previous, selectors.engineer_today(contract))
    if ended:
        raise Conflict(
            f"{ended} counter this change with a later end date, or reject it. Nothing was changed."
        )
    touched = selectors.work_locked_keys(contract, _changed_keys(previous, proposal))
    if touched:
        titles = {m.key: m.title for m in previous.milestones.all()}
        names = ", ".join(f"“{titles[key]}” ({why})" for key, why in touched.items())
        raise Conflict(
            f"Since this change was proposed, work moved on for {names}, which it changes. "
            "Counter it with a change that leaves that milestone as it is, or reject it. "
            "Nothing was changed."
        )
    now = timezone.now()
    proposal.number = previous.number + 1
    proposal.save(update_fields=["number"])
    VersionAcceptance.objects.bulk_create(
        [
            VersionAcceptance(
                version=proposal,
                side=change.side,
                user=change.proposed_by,
                at=change.proposed_at,
                content_hash=digest,
            ),
            VersionAcceptance(version=proposal, side=side, user=by, at=now, content_hash=digest),
        ]
    )
    change.status = ChangeOrder.Status.ACCEPTED
    change.answered_by, change.answered_at, change.answer_note = by, now, note
    change.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    contract.current = proposal
    contract.save(update_fields=["current"])
    version_in_force.send(sender=Contract, contract=contract, version=proposal, previous=previous)
    contract_line(
        contract,
        f"{by.display_name} accepted the change to “{proposal.title}”: version "
        f"{proposal.number} is now in force.",
        engineer_sees_new=side == Side.COMPANY,
    )
    _tell(contract, change, "accepted", to_side=change.side, teammate=change.proposed_by)


@transaction.atomic
def change_reject(*, contract: Contract, change: ChangeOrder, by: User, note: str) -> ChangeOrder:
    """The other side says no, with a note; the version in force stays."""
    text = text_clean(note, what="a note saying why", required=True)
    locked, side = contract_for_user(by, contract.pk, for_update=True)
    found = selectors.get_change(locked, change.pk, for_update=True)
    _check_open(found)
    _check_other_side(found, side, action="reject")
    found.status = ChangeOrder.Status.REJECTED
    found.answered_by, found.answered_at, found.answer_note = by, timezone.now(), text
    found.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    contract_line(
        locked,
        f"{by.display_name} rejected the proposed change to “{_title(locked)}”.",
        engineer_sees_new=side == Side.COMPANY,
    )
    _tell(locked, found, "rejected", to_side=found.side, teammate=found.proposed_by)
    return found


@transaction.atomic
def change_withdraw(
    *, contract: Contract, change: ChangeOrder, by: User, note: str = ""
) -> ChangeOrder:
    """The side that proposed a change takes it back while it waits for an answer."""
    text = text_clean(note, what="your note", required=False)
    locked, side = contract_for_user(by, contract.pk, for_update=True)
    found = selectors.get_change(locked, change.pk, for_update=True)
    _check_open(found)
    if found.side != side:
        raise Conflict(
            "Only the side that proposed a change can withdraw it; you can reject it or "
            "counter it. Nothing was changed."
        )
    found.status = ChangeOrder.Status.WITHDRAWN
    found.answered_by, found.answered_at, found.answer_note = by, timezone.now(), text
    found.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
    contract_line(
        locked,
        f"{by.display_name} withdrew the proposed change to “{_title(locked)}”.",
        engineer_sees_new=side == Side.COMPANY,
    )
    other = other_side(side)
    _tell(locked, found, "withdrawn", to_side=other, teammate=locked.created_by)
    return found


def change_counter(
    *,
    contract: Contract,
    change: ChangeOrder,
    by: User,
    proposed: Proposed,
    today: date | None = None,
) -> ChangeOrder:
    """The other side answers with a proposal of its own (the form starts from the one it
    answers): a new open change order with ``counter_of`` set, the answered one COUNTERED,
    in one transaction. The first proposer's side is emailed."""
    counter = None
    with transaction.atomic():
        locked, side = contract_for_user(by, contract.pk, for_update=True)
        found = selectors.get_change(locked, change.pk, for_update=True)
        _check_open(found)
        _check_other_side(found, side, action="counter")
        refusal = _lapse_if_stale(found, locked)
        if refusal is None:
            note = text_clean(proposed.note, what="a note saying why", required=True)
            found.status = ChangeOrder.Status.COUNTERED
            found.answered_by, found.answered_at, found.answer_note = by, timezone.now(), note
            found.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
            counter = _propose(
                locked,
                side=side,
                by=by,
                source=found.proposal,
                proposed=proposed,
                counter_of=found,
                today=today,
            )
            _tell_proposed(locked, counter, teammate=found.proposed_by)
    if refusal is not None:
        raise refusal
    assert counter is not None
    return counter


def changes_lapse(*, contract: Contract) -> int:
    """The contract stopped being active (notice given, ended): an open change lapses.
    For the part that ends contracts to call; safe to call twice."""
    return ChangeOrder.objects.filter(contract=contract, status=ChangeOrder.Status.OPEN).update(
        status=ChangeOrder.Status.LAPSED, answered_at=timezone.now()
    )


# Telling people -------------------------------------------------------------------------------


def _title(contract: Contract) -> str:
    return contract.current.title if contract.current else "the contract"


def _tell_proposed(contract: Contract, change: ChangeOrder, teammate: User | None = None) -> None:
    other = other_side(change.side)
    view = selectors.change_view(contract, change)
    summary = selectors.change_summary(terms.content(change.base), terms.content(change.proposal))
    verb = "answered with a counter-proposal to" if change.counter_of_id else "proposed a change to"
    contract_line(
        contract,
        f"{change.proposed_by.display_name if change.proposed_by else 'Someone'} {verb} "
        f"“{change.proposal.title}”: {summary}.",
        engineer_sees_new=change.side == Side.COMPANY,
    )
    _tell(
        contract,
        change,
        "proposed",
        to_side=other,
        teammate=teammate or contract.created_by,
        view=view,
    )


def _tell(
    contract: Contract,
    change: ChangeOrder,
    what: str,
    *,
    to_side: str,
    teammate: User | None,
    view: selectors.ChangeView | None = None,
) -> None:
    """One email per reader and change order for each thing that happens to it."""
    view = view or selectors.change_view(contract, change)
    for to in side_emails(contract, to_side, teammate):
        email_send(
            to=to,
            template=f"hiring/changes/email/{what}",
            context=_context(contract, change, view, for_engineer=to_side == Side.ENGINEER),
            key=f"change-{what}:{change.pk}:{to}",
        )


def _context(
    contract: Contract, change: ChangeOrder, view: selectors.ChangeView, *, for_engineer: bool
) -> dict[str, Any]:
    actor = change.answered_by if change.answered_by_id else change.proposed_by
    actor_side = change.side
    if change.status != ChangeOrder.Status.OPEN and change.answered_by_id:
        actor_side = (
            change.side
            if change.status == ChangeOrder.Status.WITHDRAWN
            else other_side(change.side)
        )
    who = actor.display_name if actor else "Someone"
    if actor_side == Side.COMPANY:
        who = f"{who} at {contract.company.name}"
    return {
        "contract": contract,
        "change": change,
        "view": view,
        "title": change.proposal.title,
        "who": who,
        "for_engineer": for_engineer,
        "number": change.proposal.number,
        "url": absolute(reverse("hiring:change_detail", args=[contract.pk, change.pk])),
        "history_url": absolute(reverse("hiring:version_history", args=[contract.pk])),
        "contract_url": absolute(reverse("hiring:contract_detail", args=[contract.pk])),
    }
