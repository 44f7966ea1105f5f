"""Every write of a contract up to its start: drafting it from an offer, revising it,
sending a version, withdrawing the offer, accepting and declining a version, and the
start itself (both sides accepted the same version).

The life of a contract before the start: draft (the company's alone) → offered
(version N sent; each side accepts it) → active when both have accepted; or declined
(by either side, with a note) → the company revises and sends version N+1 → offered
again; or withdrawn by the company. While a version is on offer the company may revise
it: the revision is a draft copy (``terms.version_copy``) that replaces the offer only
when it is sent, with the next number.

Every write locks the contract row (``contract_for_user(..., for_update=True)`` inside
the service's transaction, after its card's row; it also says again which side the user
is on), so
two acceptances, or an acceptance and a new version, happen one after the other and the
second sees the first. Every email carries an idempotency key: a replayed request sends
nothing twice, and a replayed acceptance changes nothing (Conflict).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.dispatch import receiver
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.emails import absolute, email_send
from accounts.errors import Conflict, NotAllowed, Refused
from accounts.models import User
from hiring.contracts import rules, selectors
from hiring.contracts.access import contract_for_user
from hiring.contracts.common import contract_line, side_emails, text_clean
from hiring.contracts.events import contract_started
from hiring.contracts.forms import TERM_FIELDS as EDITABLE
from hiring.contracts.terms import (
    MILESTONE_FIELDS,
    TERM_FIELDS,
    content,
    new_milestone_key,
    version_copy,
    version_freeze,
)
from hiring.models import Contract, ContractVersion, Milestone, Side, VersionAcceptance
from hiring.services import thread_for
from screening.models import CLOSED_STAGES, Candidacy, Stage
from screening.services import candidacy_move
from screening.signals import stage_changed

#: What a draft's terms may set (the time zone is the engineer's, set here).
WRITABLE = frozenset({*EDITABLE, "tools"})


# Checks ------------------------------------------------------------------------------


def contract_refusal(candidacy: Candidacy) -> Refused | None:
    """Why no contract can be drafted for this candidacy now, or None."""
    if candidacy.stage == Stage.OFFER:
        return None
    if candidacy.stage == Stage.HIRED:
        return Conflict(
            "This card was moved to Hired without a contract on Karigar. Contracts are "
            "drafted from Offer: move the card back to Offer to draft one."
        )
    return Conflict(
        "Contracts are drafted for engineers in Offer; this card is in "
        f"{candidacy.get_stage_display()}. Move it to Offer first. Nothing was saved."
    )


def terms_check(terms: dict[str, Any], milestones: list[dict[str, Any]]) -> None:
    """The rules (hiring.contracts.rules) and the models' own validators, or Refused
    saying every problem. The forms check the same; this guards every other caller."""
    problems = [m for messages in rules.terms_errors(terms, milestones).values() for m in messages]
    version = ContractVersion(**{k: v for k, v in terms.items() if k in TERM_FIELDS})
    try:
        version.full_clean(exclude=["contract", "created_by", "time_zone"])
        for row in milestones:
            Milestone(**{k: row.get(k) for k in MILESTONE_FIELDS}).full_clean(
                exclude=["version", "key"]
            )
    except ValidationError as exc:
        problems.extend(exc.messages)
    for tool in terms.get("tools") or []:
        if not str(tool.get("url", "")).startswith("https://"):
            problems.append("Collaboration tool links must start with https://.")
    if problems:
        raise Refused(" ".join(problems) + " Nothing was saved.")


def _locked(contract: Contract, user: User) -> tuple[Contract, str]:
    """The contract row, locked for this transaction, and the user's side (404 if none).

    Its card is locked first: a pipeline move locks the card, then (closing it) the
    contract, so taking them in the same order means the two wait, never deadlock."""
    Candidacy.objects.select_for_update(of=("self",)).filter(pk=contract.candidacy_id).first()
    return contract_for_user(user, contract.pk, for_update=True)


def _company_only(side: str) -> None:
    if side != Side.COMPANY:
        raise NotAllowed("Only the company's team can do this to a contract.")


def _check_card(contract: Contract) -> Candidacy:
    candidacy = Candidacy.objects.select_for_update(of=("self",)).get(pk=contract.candidacy_id)
    if candidacy.stage != Stage.OFFER:
        raise Conflict(
            f"The card of {contract.profile.user.display_name} is in "
            f"{candidacy.get_stage_display()}, not Offer: move it back to Offer to change or "
            "send the contract. Nothing was changed."
        )
    return candidacy


def _check_pre_start(contract: Contract) -> None:
    if contract.status in selectors.PRE_START:
        return
    if contract.status == Contract.Status.WITHDRAWN:
        raise Conflict("This offer was withdrawn: it can no longer change. Nothing was changed.")
    raise Conflict(
        "This contract has started: its terms change only through a change order that both "
        "sides accept. Nothing was changed."
    )


# Drafting and revising ---------------------------------------------------------------------


def _write(
    version: ContractVersion,
    *,
    terms: dict[str, Any],
    milestones: list[dict[str, Any]],
    time_zone: str,
    keys: Iterable[str] = (),
) -> ContractVersion:
    """Put the terms and milestones on a draft. A milestone keeps its key when the row
    came with one of ``keys`` (the draft's own); any other row gets a new one."""
    for name, value in terms.items():
        if name in WRITABLE:
            setattr(version, name, value)
    version.time_zone = time_zone
    version.save()
    allowed, used = set(keys), set()
    Milestone.objects.filter(version=version).delete()
    rows = []
    for position, row in enumerate(milestones):
        key = row.get("key") or ""
        if key not in allowed or key in used:
            key = new_milestone_key()
            while key in used or key in allowed:
                key = new_milestone_key()
        used.add(key)
        rows.append(
            Milestone(
                version=version,
                key=key,
                position=position,
                **{name: row.get(name) for name in MILESTONE_FIELDS},
            )
        )
    Milestone.objects.bulk_create(rows)
    return version


@transaction.atomic
def contract_draft(
    *,
    candidacy: Candidacy,
    by: User,
    terms: dict[str, Any],
    milestones: list[dict[str, Any]],
) -> Contract:
    """The company drafts the contract of a candidacy in Offer: the contract (a draft,
    seen by the team only) and its first version, not numbered until it is sent."""
    locked = (
        Candidacy.objects.select_for_update(of=("self",))
        .select_related("company", "brief", "profile__user")
        .get(pk=candidacy.pk)
    )
    if Contract.objects.filter(candidacy=locked).exists():
        raise Conflict(
            "This candidacy already has a contract: open it to edit or revise it. "
            "Nothing was saved."
        )
    refusal = contract_refusal(locked)
    if refusal is not None:
        raise refusal
    terms_check(terms, milestones)
    outreach = selectors.accepted_outreach(locked)
    thread = (
        outreach.thread
        if outreach is not None
        else thread_for(company=locked.company, profile=locked.profile)
    )
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                candidacy=locked,
                company=locked.company,
                profile=locked.profile,
                brief=locked.brief,
                thread=thread,
                outreach=outreach,
                created_by=by,
            )
    except IntegrityError:
        raise Conflict("This candidacy already has a contract. Nothing was saved.") from None
    version = _write(
        ContractVersion(contract=contract, created_by=by),
        terms=terms,
        milestones=milestones,
        time_zone=locked.profile.time_zone,
    )
    contract.current = version
    contract.save(update_fields=["current"])
    return contract


@transaction.atomic
def draft_save(
    *,
    contract: Contract,
    by: User,
    terms: dict[str, Any],
    milestones: list[dict[str, Any]],
) -> ContractVersion:
    """Save the company's draft: the first draft, or the revision of the version on offer
    (made on first save as a copy of it, so milestones keep their keys). The version on
    offer does not change: the revision replaces it only when sent."""
    locked, side = _locked(contract, by)
    _company_only(side)
    _check_pre_start(locked)
    _check_card(locked)
    terms_check(terms, milestones)
    draft = selectors.draft_of(locked)
    if draft is None:
        if locked.current is None:  # pragma: no cover - a contract always has a version
            raise Conflict("This contract has no version to revise.")
        draft = version_copy(locked.current, by=by)
    keys = list(Milestone.objects.filter(version=draft).values_list("key", flat=True))
    return _write(
        draft,
        terms=terms,
        milestones=milestones,
        time_zone=locked.profile.time_zone,
        keys=keys,
    )


def _stored_terms(version: ContractVersion) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    terms = {name: getattr(version, name) for name in TERM_FIELDS}
    rows = [
        {name: getattr(m, name) for name in MILESTONE_FIELDS}
        for m in sorted(version.milestones.all(), key=lambda m: (m.position, m.pk))
    ]
    return terms, rows


@transaction.atomic
def contract_send(*, contract: Contract, by: User, today: date | None = None) -> ContractVersion:
    """Send the draft to the engineer: it gets the next number and never changes again
    (``version_freeze``). It is now the version on offer; one it replaces can no longer
    be accepted. The engineer gets an email (once per version) and a line in the thread.
    ``today`` is the day it is sent (the demo's story sends on days in the past)."""
    locked, side = _locked(contract, by)
    _company_only(side)
    _check_pre_start(locked)
    draft = selectors.draft_of(locked)
    if draft is None:
        number = locked.current.number if locked.current else None
        if locked.status == Contract.Status.DECLINED:
            raise Conflict(
                f"Version {number} was declined: revise the terms first, then send the new "
                "version. Nothing was sent."
            )
        raise Conflict(
            f"There is no draft to send: version {number} is already with "
            f"{locked.profile.user.display_name}. Nothing was sent."
        )
    _check_card(locked)
    prefetch_related_objects([draft], "milestones")
    terms, rows = _stored_terms(draft)
    if draft.start_on < (today or timezone.localdate()):
        raise Refused(
            "The start date has passed: edit the draft and pick today or later. Nothing was sent."
        )
    try:
        terms_check(terms, rows)
    except Refused as exc:
        raise Refused(f"Edit the draft first. {exc}".replace("saved", "sent")) from None
    replaced = locked.current if locked.status != Contract.Status.DRAFT else None
    version_freeze(draft, number=selectors.next_number(locked))
    locked.current = draft
    locked.status = Contract.Status.OFFERED
    locked.save(update_fields=["current", "status"])
    contract.status, contract.current = locked.status, draft
    _tell_sent(locked, draft, replaced)
    return draft


def _url(contract: Contract) -> str:
    return absolute(reverse("hiring:contract_detail", args=[contract.pk]))


def _context(contract: Contract, version: ContractVersion | None, **extra: Any) -> dict[str, Any]:
    return {
        "contract": contract,
        "version": version,
        "company": contract.company,
        "engineer": contract.profile.user,
        "brief": contract.brief,
        "url": _url(contract),
        "print_url": absolute(reverse("hiring:version_print", args=[contract.pk, version.number]))
        if version is not None and version.number
        else "",
        **extra,
    }


def _company_emails(contract: Contract, *also: User | None) -> list[str]:
    """The team members who hear about the contract: whoever drafted it (or the owners once
    they have left), and whoever of the team acted on it."""
    emails = side_emails(contract, Side.COMPANY)
    for user in also:
        if user is not None and user.email not in emails:
            emails.append(user.email)
    return emails


def _tell_sent(
    contract: Contract, version: ContractVersion, replaced: ContractVersion | None
) -> None:
    title = version.title
    if replaced is not None:
        text = (
            f"{contract.company.name} sent version {version.number} of the contract “{title}”, "
            f"replacing version {replaced.number}. Read it, then accept or decline it."
        )
    else:
        text = (
            f"{contract.company.name} sent you the contract “{title}” (version "
            f"{version.number}). Read it, then accept or decline it."
        )
    contract_line(contract, text, engineer_sees_new=True)
    email_send(
        to=contract.profile.user.email,
        template="hiring/contracts/email/offered",
        context=_context(contract, version, replaced=replaced),
        key=f"contract-offered:{version.pk}",
    )


@transaction.atomic
def contract_withdraw(*, contract: Contract, by: User, note: str = "") -> Contract | None:
    """The company takes back its offer before the start: the contract is withdrawn and
    the engineer told. A draft nobody was sent is simply discarded (returns None)."""
    locked, side = _locked(contract, by)
    _company_only(side)
    _check_pre_start(locked)
    text = text_clean(note, what="a note", required=False)
    if locked.status == Contract.Status.DRAFT:
        locked.delete()
        return None
    locked.status = Contract.Status.WITHDRAWN
    locked.save(update_fields=["status"])
    contract.status = locked.status
    title = locked.current.title if locked.current else locked.brief.title
    line = f"{locked.company.name} withdrew the contract offer “{title}”."
    if text:
        line += f" Their note: {text}"
    contract_line(locked, line, engineer_sees_new=True)
    email_send(
        to=locked.profile.user.email,
        template="hiring/contracts/email/withdrawn",
        context=_context(locked, locked.current, note=text, closed=False),
        key=f"contract-withdrawn:{locked.pk}",
    )
    return locked


# Accepting and declining -------------------------------------------------------------------


def _version(contract: Contract, number: int) -> ContractVersion:
    version = ContractVersion.objects.filter(contract=contract, number=number).first()
    if version is None:
        raise Http404("No such version.")
    return version


def _check_on_offer(contract: Contract, version: ContractVersion, *, doing: str) -> None:
    """The version must be the one on offer now, else Conflict saying what happened."""
    current = contract.current
    if contract.status == Contract.Status.WITHDRAWN:
        raise Conflict(
            f"{contract.company.name} withdrew this offer: it can no longer be {doing}. "
            "Nothing was recorded."
        )
    if (
        current is not None
        and version.pk != current.pk
        and (current.number or 0) > (version.number or 0)
    ):
        raise Conflict(
            f"Version {version.number} has been replaced by version {current.number}: read "
            f"version {current.number} and answer that one. Nothing was recorded."
        )
    if version.declined_at is not None or contract.status == Contract.Status.DECLINED:
        raise Conflict(
            f"Version {version.number} was declined, so it can no longer be {doing}; "
            f"{contract.company.name} may send a revised version. Nothing was recorded."
        )
    if contract.status != Contract.Status.OFFERED or version.pk != contract.current_id:
        raise Conflict(
            f"Version {version.number} is not on offer: the contract has already started. "
            "Nothing was recorded."
        )


@transaction.atomic
def version_accept(
    *, contract: Contract, user: User, number: int, content_hash: str
) -> VersionAcceptance:
    """One side accepts the version on offer, exactly as it read it: ``content_hash`` is
    the hash the page showed, and must be the version's. Any member of the company may
    accept for the company. When both sides have accepted, the contract starts."""
    locked, side = _locked(contract, user)
    version = _version(locked, number)
    earlier = VersionAcceptance.objects.filter(version=version, side=side).first()
    if earlier is not None:
        who = "You" if earlier.user_id == user.pk else "Your team"
        raise Conflict(
            f"{who} already accepted version {number} on {earlier.at:%-d %B %Y}. Nothing changed."
        )
    _check_on_offer(locked, version, doing="accepted")
    if (content_hash or "").strip() != version.content_hash:
        raise Conflict(
            f"The terms on your page are not version {number} as it was sent: reload the "
            "contract, read it again, then accept. Nothing was recorded."
        )
    candidacy = Candidacy.objects.select_for_update(of=("self",)).get(pk=locked.candidacy_id)
    if candidacy.stage in CLOSED_STAGES:
        raise Conflict(
            "This application has closed, so the contract cannot start. Nothing was recorded."
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            acceptance = VersionAcceptance.objects.create(
                version=version, side=side, user=user, at=now, content_hash=version.content_hash
            )
    except IntegrityError:  # pragma: no cover - the row lock orders two acceptances
        raise Conflict(f"Version {number} was already accepted. Nothing changed.") from None
    sides = set(VersionAcceptance.objects.filter(version=version).values_list("side", flat=True))
    if sides >= {Side.COMPANY, Side.ENGINEER}:
        _start(locked, version, candidacy, by=user, now=now)
    else:
        _tell_accepted(locked, version, side, user)
    contract.status, contract.started_at = locked.status, locked.started_at
    return acceptance


def _tell_accepted(contract: Contract, version: ContractVersion, side: str, user: User) -> None:
    if side == Side.ENGINEER:
        line = (
            f"{user.display_name} accepted version {version.number} of the contract "
            f"“{version.title}”. It starts once {contract.company.name} accepts it too."
        )
        readers = _company_emails(contract, version.created_by)
    else:
        line = (
            f"{user.display_name} accepted version {version.number} of the contract "
            f"“{version.title}” for {contract.company.name}. It starts once "
            f"{contract.profile.user.display_name} accepts it too."
        )
        readers = [contract.profile.user.email]
    contract_line(contract, line, engineer_sees_new=side == Side.COMPANY)
    for to in readers:
        email_send(
            to=to,
            template="hiring/contracts/email/accepted",
            context=_context(
                contract,
                version,
                by=user,
                by_engineer=side == Side.ENGINEER,
                for_engineer=to == contract.profile.user.email,
            ),
            key=f"contract-accepted:{version.pk}:{side}:{to}",
        )


def _start(
    contract: Contract,
    version: ContractVersion,
    candidacy: Candidacy,
    *,
    by: User,
    now: datetime,
) -> None:
    """Both sides accepted ``version``: the contract is active, the card moves to Hired,
    the parts that follow a contract hear ``contract_started``, and both sides are told."""
    contract.status = Contract.Status.ACTIVE
    contract.started_at = now
    contract.save(update_fields=["status", "started_at"])
    # A revision the company had not sent is moot once an offer is accepted.
    ContractVersion.objects.filter(
        contract=contract, sent_at__isnull=True, change_order__isnull=True
    ).delete()
    if candidacy.stage != Stage.HIRED:
        candidacy_move(candidacy=candidacy, to=Stage.HIRED, by=by)
    contract_started.send(sender=Contract, contract=contract)
    contract_line(
        contract,
        f"The contract “{version.title}” has started: both sides accepted version "
        f"{version.number}.",
        engineer_sees_new=True,
    )
    accepters = VersionAcceptance.objects.filter(version=version).select_related("user")
    team = [a.user for a in accepters if a.side == Side.COMPANY]
    for to in [contract.profile.user.email, *_company_emails(contract, *team)]:
        email_send(
            to=to,
            template="hiring/contracts/email/started",
            context=_context(contract, version, for_engineer=to == contract.profile.user.email),
            key=f"contract-started:{contract.pk}:{to}",
        )


@transaction.atomic
def version_decline(*, contract: Contract, user: User, number: int, note: str) -> ContractVersion:
    """Either side declines the version on offer, with a note the other side reads. The
    contract is declined; the company may revise it and send a new version."""
    locked, side = _locked(contract, user)
    text = text_clean(note, what="a note saying why you decline", required=True)
    version = _version(locked, number)
    if version.declined_at is not None:
        raise Conflict(f"Version {number} was already declined. Nothing changed.")
    _check_on_offer(locked, version, doing="declined")
    if VersionAcceptance.objects.filter(version=version, side=side).exists():
        raise Conflict(
            f"Your side already accepted version {number}. "
            + (
                "Revise or withdraw the offer instead."
                if side == Side.COMPANY
                else f"Write to {locked.company.name} in your conversation instead."
            )
            + " Nothing changed."
        )
    version.declined_at = timezone.now()
    version.declined_side = side
    version.declined_by = user
    version.decline_note = text
    version.save(update_fields=["declined_at", "declined_side", "declined_by", "decline_note"])
    locked.status = Contract.Status.DECLINED
    locked.save(update_fields=["status"])
    contract.status = locked.status
    by_engineer = side == Side.ENGINEER
    who = user.display_name if by_engineer else locked.company.name
    contract_line(
        locked,
        f"{who} declined version {number} of the contract “{version.title}”: {text}",
        engineer_sees_new=not by_engineer,
    )
    readers = (
        _company_emails(locked, version.created_by) if by_engineer else [locked.profile.user.email]
    )
    for to in readers:
        email_send(
            to=to,
            template="hiring/contracts/email/declined",
            context=_context(
                locked,
                version,
                by=user,
                by_engineer=by_engineer,
                for_engineer=not by_engineer,
                note=text,
            ),
            key=f"contract-declined:{version.pk}:{to}",
        )
    return version


# A card that closes takes its offer with it --------------------------------------------


#: The closes that are the engineer's own doing (they stepped back or said no).
ENGINEER_CLOSES = (Stage.WITHDRAWN, Stage.DECLINED)


@transaction.atomic
def on_card_closed(*, candidacy: Candidacy, move: Any) -> bool:
    """A card closed while its contract was on offer or declined: the offer is withdrawn
    (nobody can accept it any more). The engineer hears of it unless they closed it
    themselves. A draft stays with the team; a started contract is not touched (ending
    one is its own step). Returns whether an offer was withdrawn."""
    if move.to_stage not in CLOSED_STAGES:
        return False
    contract = (
        Contract.objects.select_for_update(of=("self",))
        .select_related("company", "profile__user", "brief", "current", "thread")
        .filter(candidacy=candidacy, status__in=selectors.REVISABLE)
        .first()
    )
    if contract is None:
        return False
    contract.status = Contract.Status.WITHDRAWN
    contract.save(update_fields=["status"])
    title = contract.current.title if contract.current else contract.brief.title
    contract_line(
        contract,
        f"The contract offer “{title}” was withdrawn: the application has closed.",
        engineer_sees_new=move.to_stage not in ENGINEER_CLOSES,
    )
    if move.to_stage not in ENGINEER_CLOSES:
        email_send(
            to=contract.profile.user.email,
            template="hiring/contracts/email/withdrawn",
            context=_context(contract, contract.current, note="", closed=True),
            key=f"contract-withdrawn:{contract.pk}",
        )
    return True


@receiver(stage_changed, dispatch_uid="hiring.contracts.on_card_closed")
def _stage_changed(sender: Any, *, candidacy: Candidacy, move: Any, **kwargs: Any) -> None:
    on_card_closed(candidacy=candidacy, move=move)


# Personal data (accounts.registry) ---------------------------------------------------------


def _version_data(version: ContractVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "sent": version.sent_at,
        "terms": content(version),
        "content_hash": version.content_hash,
        "declined": version.declined_at,
        "declined_by_side": version.declined_side,
        "decline_note": version.decline_note,
        "acceptances": [
            {
                "side": a.side,
                "by": a.user.display_name if a.user else "a former member",
                "at": a.at,
                "content_hash": a.content_hash,
            }
            for a in version.acceptances.all()
        ],
    }


def person_data_export(user: User) -> dict[str, Any]:
    """Contracts in a person's export. An engineer's: every contract they were sent, each
    sent version with its terms and both sides' acceptances. A teammate's: the versions
    they drafted and the acceptances they gave for their company."""
    data: dict[str, Any] = {}
    mine = (
        Contract.objects.filter(profile__user=user)
        .exclude(status=Contract.Status.DRAFT)
        .select_related("company", "brief")
        .prefetch_related("versions__milestones", "versions__acceptances__user")
    )
    if mine:
        data["contracts"] = [
            {
                "company": c.company.name,
                "brief": c.brief.title,
                "status": c.get_status_display(),
                "created": c.created_at,
                "started": c.started_at,
                "versions": [_version_data(v) for v in c.versions.all() if v.sent_at],
            }
            for c in mine
        ]
    drafted = (
        ContractVersion.objects.filter(created_by=user)
        .select_related("contract__profile__user")
        .prefetch_related("milestones")
    )
    if drafted:
        data["contract_versions_you_wrote"] = [
            {
                "engineer": v.contract.profile.user.display_name,
                "number": v.number,
                "sent": v.sent_at,
                "terms": content(v),
            }
            for v in drafted
        ]
    given = VersionAcceptance.objects.filter(user=user, side=Side.COMPANY).select_related(
        "version__contract__profile__user"
    )
    if given:
        data["contract_acceptances_you_gave"] = [
            {
                "engineer": a.version.contract.profile.user.display_name,
                "version": a.version.number,
                "at": a.at,
                "content_hash": a.content_hash,
            }
            for a in given
        ]
    return data
