"""An adversarial pass over issue 12: contracts, change orders, milestones and payments,
check-ins, ending and reviews, dashboards.

One world holds two companies. Company A (an owner and a teammate) has the engineer
(Lahore) on a running contract (a check-in due, one answered, a milestone submitted, a
payment, a change order waiting for the engineer, a weekly call), an offer, a draft and
an ended contract with both reviews published. Company B has another engineer on the
same kinds of rows. Every request is checked against a snapshot of the rows issue 12
writes (and the outbox): a refused request writes nothing, and none answers 500.

1. Access: every URL from ``contract_new`` on, each method, as a visitor, another
   company, another engineer, the wrong side, the engineer on a draft; contract A's
   URLs naming contract B's check-ins, change orders, payments, milestone keys and
   reviews (and the other way round).
2. Garbage in every form (empty, huge, wrong types, absurd numbers and dates, unknown
   choices, javascript:/http links, missing CSRF token).
3. Replays (each state change posted twice), races (both sides at the same moment, in
   threads), stale answers (an old version, a change after the end or on a replaced
   base), and every sweep run twice at the same moment.
4. Blindness and privacy: unpublished and hidden reviews, stage names, the team's
   notes, a revision not sent yet; the personal-data export of both sides.
5. Time: check-ins at midnight and across daylight saving (London, Santiago, New York),
   the end at the engineer's midnight, notice counted from the engineer's today, a
   contract whose end passed while the sweeps were down, "overdue" on the home pages.

What failed before its fix:
- a milestone key with a NUL byte in the URL (``%00``) answered 500 (PostgreSQL refuses
  the byte): any key outside the keys' alphabet is now 404 (hiring/milestones/selectors);
- the personal-data export had the contracts but not the check-ins nor the reviews a
  person wrote: added, with the person's own note to staff and never the other side's
  unpublished review or note (hiring/checkins/services, hiring/reviews/services,
  hiring/apps);
- both home pages judged "late" and "overdue" by the server's date (Lahore's), not the
  contract's: a New York engineer's payment due today showed as a day late on both
  homes while the contract page and the sweep said it was not due yet
  (hiring/dashboards/selectors);
- a change order could move the end date into the past, and a change whose new end
  date passed while it waited could still be accepted (the sweep then ended the
  contract at once, back-dated): refused with 400 and 409 (hiring/changes/services);
- contract dates near the year 9999: a paid trial reaching past it answered 500 on
  drafting, and a start of 9999-12-30 was saved, after which the contract page answered
  500 to a teammate in another zone: dates after 2099 are refused as a typo, the trial
  is compared in days (hiring/contracts/rules);
- the paid trial, which the contract page states as "either side may stop then without
  the notice period", was not honoured: the end form asked for full notice during it.
  During the trial the earliest last day is now today (hiring/reviews/services, forms,
  selectors, views);
- after notice, the ending panel promised "open change orders included" while the
  scope-change panel said changes are closed and accepting one was refused (it lapses),
  and the history still said a change was waiting for an answer: both texts corrected
  (templates/hiring/reviews/_contract_panel.html, templates/hiring/changes/history.html).

Left as it is:
- whether a change order waiting when notice is given lapses at once: the ending part
  keeps it open (tests/reviews: "open change orders stay open after notice"), the
  change part lapses it at the next answer (tests/changes); the pages now say what
  happens, and ``changes_lapse`` is there if both owners choose to lapse it at notice;
- the check-in sweep runs hourly at minute 0 (config/settings.py, outside hiring), so
  an engineer in a half-hour zone (India, Nepal) gets the check-in up to 45 minutes
  after the agreed local time; a 15-minute schedule would close the gap;
- the contract page's pinned query counts in tests/contracts, tests/milestones and
  tests/reviews were already failing on the merged branch (each was measured with the
  other panels empty); the fixes here add no query;
- an engineer who erases their account takes their contracts with them
  (``Contract.profile`` cascades), the company's record of them included: a product
  decision, not changed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Company, OutboundEmail, User
from candidates.models import Profile
from hiring.changes import services as change_services
from hiring.checkins import schedule
from hiring.contracts.terms import version_copy, version_freeze
from hiring.milestones import services as milestone_services
from hiring.models import (
    ChangeOrder,
    CheckIn,
    Contract,
    ContractReview,
    ContractVersion,
    HandoverTick,
    Message,
    Milestone,
    MilestoneWork,
    Payment,
    Side,
    VersionAcceptance,
)
from hiring.reviews import services as review_services
from screening.models import Candidacy, StageMove
from tests.changes.conftest import proposed_from
from tests.factories import (
    BriefFactory,
    EmployerFactory,
    EngineerFactory,
    ProfileFactory,
    candidacy_at_offer,
    candidacy_in,
    contract_made,
)

pytestmark = pytest.mark.django_db

# What the engineer may never read, planted in the world and looked for on every page
# and in every email the engineer can get.
MOVE_NOTE = "MOVE-NOTE-XYZZY weak on SQL, pay at the low end"
COMPANY_PRIVATE = "COMPANY-PRIVATE-PLUGH note to staff about the engineer"
ENGINEER_PRIVATE = "ENGINEER-PRIVATE-FROTZ note to staff about the company"
COMPANY_REVIEW = "COMPANY-REVIEW-GNUSTO shipped on time, documented well"
ENGINEER_REVIEW = "ENGINEER-REVIEW-REZROV clear brief, paid on the day"
# Distinctive titles: another party's pages must never show them.
A_TITLE = "Alpha settlement service"
B_TITLE = "Bravo ledger rebuild"

CALL = {
    "overlap_starts": time(14, 0),
    "overlap_ends": time(18, 0),
    "call_weekday": 2,
    "call_time": time(15, 0),
    "call_minutes": 30,
}


@dataclass
class World:
    owner: User
    teammate: User
    engineer: User
    other_engineer: User  # the engineer of company B's contracts
    outsider: User  # owner of company B
    profile: Profile
    company: Company
    b_company: Company
    fresh: Candidacy  # company A, the engineer in Offer, no contract yet
    active: Contract  # A ↔ engineer, running: a check-in due and one answered, a
    #                   milestone submitted, a payment, a change order from the company
    offered: Contract  # A ↔ engineer, version 1 sent, nobody accepted
    draft: Contract  # A ↔ engineer, never sent: the company's alone
    ended: Contract  # A ↔ engineer, ended; both reviews published
    b_active: Contract  # B ↔ other engineer, running, the same kinds of rows
    b_ended: Contract  # B ↔ other engineer, ended; both reviews published
    due: CheckIn
    answered: CheckIn
    payment: Payment
    change: ChangeOrder
    submitted_key: str
    open_key: str
    b_checkin: CheckIn
    b_payment: Payment
    b_change: ChangeOrder
    b_key: str
    company_review: ContractReview  # the company's review of the engineer (ended)
    engineer_review: ContractReview  # the engineer's review of the company (ended)
    b_review: ContractReview  # company B's review of the other engineer


def _contract(
    owner: User, profile: Profile, title: str, *, status: str = "active", **terms: Any
) -> Contract:
    brief = BriefFactory(company=owner.membership.company, created_by=owner, title=title)
    candidacy = candidacy_at_offer(candidacy_in(brief, profile, user=owner))
    today = timezone.localdate()
    terms.setdefault("start_on", today - timedelta(days=14))
    terms.setdefault("end_on", terms["start_on"] + timedelta(days=90))
    if status == "active":
        terms.setdefault("started_at", timezone.now() - timedelta(days=14))
    contract = contract_made(candidacy, status=status, title=title, **terms)
    return Contract.objects.select_related("current").get(pk=contract.pk)


def _checkin(contract: Contract, weeks_ago: int, **fields: Any) -> CheckIn:
    assert contract.current is not None
    week_of = schedule.week_now(contract.current, timezone.now()) - timedelta(weeks=weeks_ago)
    due = schedule.due_at(contract.current, week_of)
    return CheckIn.objects.create(
        contract=contract, week_of=week_of, due_at=due, sent_at=due, **fields
    )


def _answered(contract: Contract, weeks_ago: int) -> CheckIn:
    return _checkin(
        contract,
        weeks_ago,
        status=CheckIn.Status.ANSWERED,
        done="Shipped the export.",
        next="The reconciliation job.",
        health="on_track",
        hours=Decimal("30"),
        answered_at=timezone.now() - timedelta(days=weeks_ago * 7),
        answered_by=contract.profile.user,
    )


def _payment(contract: Contract) -> Payment:
    return Payment.objects.create(
        contract=contract,
        label="Weeks 1-2",
        amount=Decimal("1200"),
        currency="USD",
        due_on=timezone.localdate() + timedelta(days=10),
        period_start=timezone.localdate() - timedelta(days=14),
        period_end=timezone.localdate() - timedelta(days=1),
    )


def _keys(contract: Contract) -> list[str]:
    return list(contract.current.milestones.order_by("position").values_list("key", flat=True))


def _end(contract: Contract) -> Contract:
    """Ended yesterday, as the sweep leaves it (written straight in)."""
    now = timezone.now()
    contract.status = Contract.Status.ENDED
    contract.ends_on = timezone.localdate() - timedelta(days=2)
    contract.ended_at = now - timedelta(days=1)
    contract.reviews_close_at = contract.ended_at + timedelta(days=Contract.REVIEW_DAYS)
    contract.save(update_fields=["status", "ends_on", "ended_at", "reviews_close_at"])
    return contract


def _review(contract: Contract, by: User, side: str, text: str, note: str) -> ContractReview:
    scores = (
        {"quality": 5, "time_zones": 4}
        if side == Side.COMPANY
        else {"clarity": 4, "paying_on_time": 5}
    )
    return review_services.review_create(
        contract=contract,
        by=by,
        side=side,
        stars=5 if side == Side.COMPANY else 4,
        scores=scores,
        public_text=text,
        private_note=note,
    )


def build_world(owner: User, teammate: User, engineer: User) -> World:
    company = owner.membership.company
    profile = ProfileFactory(user=engineer, status="approved", time_zone="Asia/Karachi")
    other_engineer = EngineerFactory(email="other-engineer@example.com", full_name="Omar Other")
    b_profile = ProfileFactory(user=other_engineer, status="approved")
    outsider = EmployerFactory(email="outsider@other.example", full_name="Olga Outsider")
    b_company = outsider.membership.company

    fresh_brief = BriefFactory(company=company, created_by=owner, title="Fresh brief")
    fresh = candidacy_at_offer(candidacy_in(fresh_brief, profile, user=owner))

    active = _contract(owner, profile, A_TITLE, **CALL)
    # The card went to Offer and Hired with a note only the team may read.
    StageMove.objects.filter(candidacy=active.candidacy).update(note=MOVE_NOTE)
    offered = _contract(
        owner,
        profile,
        "Alpha offer",
        status="offered",
        start_on=timezone.localdate() + timedelta(days=7),
    )
    draft = _contract(
        owner,
        profile,
        "Alpha draft",
        status="draft",
        start_on=timezone.localdate() + timedelta(days=7),
    )
    ended = _contract(owner, profile, "Alpha ended")
    b_active = _contract(outsider, b_profile, B_TITLE, **CALL)
    b_ended = _contract(outsider, b_profile, "Bravo ended")

    due, answered = _checkin(active, 1), _answered(active, 2)
    b_checkin = _checkin(b_active, 1)
    payment, b_payment = _payment(active), _payment(b_active)
    submitted_key, open_key = _keys(active)
    milestone_services.milestone_submit(
        contract=active,
        user=engineer,
        key=submitted_key,
        note="Deployed to staging.",
        link="https://github.com/acme/settlement/pull/1",
    )
    b_key = _keys(b_active)[0]
    change = change_services.change_propose(
        contract=active,
        by=owner,
        proposed=proposed_from(active.current, scope=active.current.scope + " Also reports."),
    )
    b_change = change_services.change_propose(
        contract=b_active,
        by=outsider,
        proposed=proposed_from(b_active.current, scope=b_active.current.scope + " Also audits."),
    )
    _end(ended)
    company_review = _review(ended, owner, Side.COMPANY, COMPANY_REVIEW, COMPANY_PRIVATE)
    engineer_review = _review(ended, engineer, Side.ENGINEER, ENGINEER_REVIEW, ENGINEER_PRIVATE)
    _end(b_ended)
    b_review = _review(b_ended, outsider, Side.COMPANY, "Bravo review of Omar", "Bravo private")
    _review(b_ended, other_engineer, Side.ENGINEER, "Omar on Bravo", "Omar private")
    for contract in (active, offered, draft, ended, b_active, b_ended):
        contract.refresh_from_db()
    company_review.refresh_from_db()
    engineer_review.refresh_from_db()
    return World(
        owner=owner,
        teammate=teammate,
        engineer=engineer,
        other_engineer=other_engineer,
        outsider=outsider,
        profile=profile,
        company=company,
        b_company=b_company,
        fresh=fresh,
        active=active,
        offered=offered,
        draft=draft,
        ended=ended,
        b_active=b_active,
        b_ended=b_ended,
        due=due,
        answered=answered,
        payment=payment,
        change=change,
        submitted_key=submitted_key,
        open_key=open_key,
        b_checkin=b_checkin,
        b_payment=b_payment,
        b_change=b_change,
        b_key=b_key,
        company_review=company_review,
        engineer_review=engineer_review,
        b_review=b_review,
    )


@pytest.fixture
def world(owner: User, teammate: User, engineer: User) -> World:
    return build_world(owner, teammate, engineer)


def client_for(user: User | None, *, csrf: bool = False) -> Client:
    client = Client(raise_request_exception=False, enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    """A page as a person reads it: no tags, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(body).split())


# What issue 12 writes, as it stands -------------------------------------------------------

_SNAPSHOT = (
    Contract,
    ContractVersion,
    Milestone,
    VersionAcceptance,
    ChangeOrder,
    MilestoneWork,
    Payment,
    CheckIn,
    HandoverTick,
    ContractReview,
    Candidacy,
    StageMove,
)


def snapshot() -> dict[str, Any]:
    state: dict[str, Any] = {}
    for model in _SNAPSHOT:
        state[model.__name__] = sorted(
            (tuple(sorted(row.items())) for row in model.objects.values()), key=repr
        )
    state["Message"] = Message.objects.count()
    state["OutboundEmail"] = sorted(OutboundEmail.objects.values_list("key", "to", "template"))
    return state


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


# Every URL of issue 12, with a POST that would work for someone allowed ------------------


def _terms_post(w: World) -> dict[str, Any]:
    from tests.contracts.conftest import form_data

    return form_data(title="A posted title")


def _change_post(w: World) -> dict[str, Any]:
    from tests.changes.conftest import form_data

    assert w.active.current is not None
    return form_data(w.active.current, hours_cap=20, note="Fewer hours, please.")


def _this_monday(w: World) -> str:
    assert w.active.current is not None
    return schedule.week_now(w.active.current, timezone.now()).isoformat()


def _end_post(w: World) -> dict[str, Any]:
    last = timezone.localdate() + timedelta(days=20)
    return {"end-reason": "The project is done.", "end-ends_on": last.isoformat()}


ANSWER = {
    "done": "Shipped the ledger export and its tests.",
    "next": "Reconciliation job, then the retry queue.",
    "blockers": "",
    "hours": "32.5",
    "health": "on_track",
}
REPLY = {"priorities_clear": "yes", "feedback": "Good pace.", "company_blockers": ""}
REVIEW_POST = {"stars": "5", "public_text": "Good work.", "private_note": "", "quality": "5"}


@dataclass(frozen=True)
class Endpoint:
    """One URL of issue 12: which side may use it ("both", "company", "engineer"; for
    a review, the side reviewed), its arguments in the world, and a POST that would
    work for someone allowed."""

    name: str
    methods: tuple[str, ...]
    who: str
    args: Callable[[World], list[Any]]
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    #: The contract its URL names (for the tests that swap in another contract).
    contract: str = ""

    def url(self, w: World) -> str:
        return reverse(f"hiring:{self.name}", args=self.args(w))


GET, POST, BOTH = ("get",), ("post",), ("get", "post")


def _on(name: str) -> Callable[[World], list[Any]]:
    return lambda w: [getattr(w, name).pk]


ENDPOINTS = [
    Endpoint("contract_new", BOTH, "company", lambda w: [w.fresh.pk], _terms_post),
    Endpoint("contract_list", GET, "both", lambda w: []),
    Endpoint("contract_detail", GET, "both", _on("active"), contract="active"),
    Endpoint("contract_edit", BOTH, "company", _on("offered"), _terms_post, "offered"),
    Endpoint("contract_send", POST, "company", _on("offered"), contract="offered"),
    Endpoint(
        "contract_withdraw", POST, "company", _on("offered"), lambda w: {"note": "x"}, "offered"
    ),
    Endpoint("version_print", GET, "both", lambda w: [w.active.pk, 1], contract="active"),
    Endpoint(
        "version_accept",
        POST,
        "both",
        lambda w: [w.offered.pk, 1],
        lambda w: {"content_hash": w.offered.current.content_hash},  # type: ignore[union-attr]
        "offered",
    ),
    Endpoint(
        "version_decline",
        POST,
        "both",
        lambda w: [w.offered.pk, 1],
        lambda w: {"note": "Not for me."},
        "offered",
    ),
    Endpoint("version_history", GET, "both", _on("active"), contract="active"),
    Endpoint("change_new", BOTH, "both", _on("active"), _change_post, "active"),
    Endpoint("change_detail", GET, "both", lambda w: [w.active.pk, w.change.pk]),
    Endpoint(
        "change_accept",
        POST,
        "engineer",
        lambda w: [w.active.pk, w.change.pk],
        lambda w: {"accept-content_hash": w.change.proposal.content_hash},
    ),
    Endpoint(
        "change_reject",
        POST,
        "engineer",
        lambda w: [w.active.pk, w.change.pk],
        lambda w: {"reject-note": "No."},
    ),
    Endpoint(
        "change_counter", BOTH, "engineer", lambda w: [w.active.pk, w.change.pk], _change_post
    ),
    Endpoint(
        "change_withdraw",
        POST,
        "company",
        lambda w: [w.active.pk, w.change.pk],
        lambda w: {"withdraw-note": ""},
    ),
    Endpoint(
        "milestone_submit",
        POST,
        "engineer",
        lambda w: [w.active.pk, w.open_key],
        lambda w: {"note": "Done.", "link": "https://github.com/acme/pull/2"},
    ),
    Endpoint("milestone_accept", POST, "company", lambda w: [w.active.pk, w.submitted_key]),
    Endpoint(
        "milestone_changes",
        POST,
        "company",
        lambda w: [w.active.pk, w.submitted_key],
        lambda w: {"note": "Add the tests."},
    ),
    Endpoint(
        "payment_paid",
        POST,
        "company",
        lambda w: [w.active.pk, w.payment.pk],
        lambda w: {"note": "TX-1"},
    ),
    Endpoint("payment_confirm", POST, "engineer", lambda w: [w.active.pk, w.payment.pk]),
    Endpoint("checkin_list", GET, "both", _on("active"), contract="active"),
    Endpoint(
        "checkin_skip",
        POST,
        "both",
        _on("active"),
        lambda w: {"week": _this_monday(w)},
        "active",
    ),
    Endpoint("checkin_detail", GET, "both", lambda w: [w.active.pk, w.due.pk]),
    Endpoint(
        "checkin_answer", POST, "engineer", lambda w: [w.active.pk, w.due.pk], lambda w: ANSWER
    ),
    Endpoint(
        "checkin_reply",
        POST,
        "company",
        lambda w: [w.active.pk, w.answered.pk],
        lambda w: REPLY,
    ),
    Endpoint("call_ics", GET, "both", _on("active"), contract="active"),
    Endpoint("contract_end", BOTH, "both", _on("active"), _end_post, "active"),
    Endpoint(
        "handover_tick",
        POST,
        "both",
        _on("ended"),
        lambda w: {"item": "access", "action": "tick"},
        "ended",
    ),
    Endpoint("review_new", BOTH, "both", _on("ended"), lambda w: REVIEW_POST, "ended"),
    Endpoint(
        "review_reply",
        BOTH,
        "engineer",
        lambda w: [w.company_review.pk],
        lambda w: {"text": "Thank you."},
    ),
    Endpoint(
        "review_report",
        BOTH,
        "engineer",
        lambda w: [w.company_review.pk],
        lambda w: {"note": "Untrue."},
    ),
    Endpoint("company_page", GET, "both", lambda w: [w.company.pk]),
]
BY_NAME = {e.name: e for e in ENDPOINTS}


def test_the_sweep_covers_every_url_from_contract_new_on() -> None:
    from hiring.urls import urlpatterns

    names = [p.name for p in urlpatterns]
    assert set(names[names.index("contract_new") :]) == set(BY_NAME)


def request(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.get(url) if method == "get" else client.post(url, data)


def sweep(
    w: World,
    client: Client,
    expect: Callable[[Endpoint], tuple[int, ...] | None],
    endpoints: list[Endpoint] = ENDPOINTS,
    url: Callable[[Endpoint], str] | None = None,
) -> list[str]:
    """Each endpoint and method ``expect`` names statuses for (None: skip it), asked by
    ``client`` with a post that would work for someone allowed: what answered
    otherwise, and what wrote anything."""
    problems = []
    for endpoint in endpoints:
        wanted = expect(endpoint)
        if wanted is None:
            continue
        for method in endpoint.methods:
            before = snapshot()
            where = f"{method.upper()} {endpoint.name}"
            target = url(endpoint) if url else endpoint.url(w)
            response = request(client, method, target, endpoint.data(w))
            if response.status_code not in wanted:
                problems.append(f"{where}: {response.status_code}, not {wanted}")
            written = changes(before, snapshot())
            if written:
                problems.append(f"{where} wrote {written}")
    return problems


# 1. Access -------------------------------------------------------------------------------


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


@pytest.mark.parametrize("who", ["outsider", "other_engineer"])
def test_another_company_and_another_engineer_get_404_for_every_id_of_ours(
    world: World, who: str
) -> None:
    client = client_for(getattr(world, who))
    skip = {"contract_list"}
    assert sweep(world, client, lambda e: None if e.name in skip else (404,)) == []


@pytest.mark.parametrize("who", ["outsider", "other_engineer"])
def test_nobody_else_reads_our_contracts_in_their_lists_and_homes(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    home = "accounts:dashboard" if who == "outsider" else "candidates:me"
    for url in (reverse("hiring:contract_list"), reverse(home)):
        response = client.get(url)
        assert response.status_code == 200, url
        page = text(response)
        assert B_TITLE in page or url != reverse("hiring:contract_list")
        for secret in (A_TITLE, "Alpha offer", "Alpha draft", "Alpha ended", COMPANY_REVIEW):
            assert secret not in page, (url, secret)


def test_the_engineer_gets_403_or_409_on_the_company_side(world: World) -> None:
    client = client_for(world.engineer)

    def expect(e: Endpoint) -> tuple[int, ...] | None:
        if e.who != "company":
            return None
        # A card in the pipeline is the team's: the engineer cannot even name it.
        return (404,) if e.name == "contract_new" else (403, 409)

    assert sweep(world, client, expect) == []


@pytest.mark.parametrize("who", ["owner", "teammate"])
def test_the_company_gets_403_or_409_on_the_engineer_side(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert sweep(world, client, lambda e: (403, 409) if e.who == "engineer" else None) == []


def test_the_engineer_gets_404_for_every_url_of_a_draft(world: World) -> None:
    client = client_for(world.engineer)
    on_contract = [e for e in ENDPOINTS if e.contract]

    def url(e: Endpoint) -> str:
        args = e.args(world)
        return reverse(f"hiring:{e.name}", args=[world.draft.pk, *args[1:]])

    assert sweep(world, client, lambda e: (404,), on_contract, url) == []


#: Which object of another contract each endpoint's second argument can name.
SWAPS: dict[str, Callable[[World], Any]] = {
    "change_detail": lambda w: w.b_change.pk,
    "change_accept": lambda w: w.b_change.pk,
    "change_reject": lambda w: w.b_change.pk,
    "change_counter": lambda w: w.b_change.pk,
    "change_withdraw": lambda w: w.b_change.pk,
    "milestone_submit": lambda w: w.b_key,
    "milestone_accept": lambda w: w.b_key,
    "milestone_changes": lambda w: w.b_key,
    "payment_paid": lambda w: w.b_payment.pk,
    "payment_confirm": lambda w: w.b_payment.pk,
    "checkin_detail": lambda w: w.b_checkin.pk,
    "checkin_answer": lambda w: w.b_checkin.pk,
    "checkin_reply": lambda w: w.b_checkin.pk,
}
#: The same, the other way round: company A's objects named under company B's contract.
SWAPS_BACK: dict[str, Callable[[World], Any]] = {
    "change_detail": lambda w: w.change.pk,
    "change_accept": lambda w: w.change.pk,
    "change_reject": lambda w: w.change.pk,
    "change_counter": lambda w: w.change.pk,
    "change_withdraw": lambda w: w.change.pk,
    "milestone_submit": lambda w: w.open_key,
    "milestone_accept": lambda w: w.submitted_key,
    "milestone_changes": lambda w: w.submitted_key,
    "payment_paid": lambda w: w.payment.pk,
    "payment_confirm": lambda w: w.payment.pk,
    "checkin_detail": lambda w: w.due.pk,
    "checkin_answer": lambda w: w.due.pk,
    "checkin_reply": lambda w: w.answered.pk,
}


@pytest.mark.parametrize("who", ["owner", "engineer"])
def test_our_contract_never_opens_another_contracts_rows(world: World, who: str) -> None:
    """Contract A's URL with a check-in, change order, payment or milestone key of
    contract B (another company's) in it: 404, nothing written."""
    client = client_for(getattr(world, who))
    swapped = [BY_NAME[name] for name in SWAPS]

    def url(e: Endpoint) -> str:
        return reverse(f"hiring:{e.name}", args=[world.active.pk, SWAPS[e.name](world)])

    assert sweep(world, client, lambda e: (404,), swapped, url) == []


@pytest.mark.parametrize("who", ["outsider", "other_engineer"])
def test_their_contract_never_opens_our_rows(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    swapped = [BY_NAME[name] for name in SWAPS_BACK]

    def url(e: Endpoint) -> str:
        return reverse(f"hiring:{e.name}", args=[world.b_active.pk, SWAPS_BACK[e.name](world)])

    assert sweep(world, client, lambda e: (404,), swapped, url) == []


def test_a_company_that_never_reached_the_engineer_has_no_page_for_them(world: World) -> None:
    response = client_for(world.engineer).get(
        reverse("hiring:company_page", args=[world.b_company.pk])
    )
    assert response.status_code == 404
    assert B_TITLE not in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "engineer"])
def test_a_review_of_another_contract_is_404(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    endpoints = [BY_NAME["review_reply"], BY_NAME["review_report"]]

    def url(e: Endpoint) -> str:
        return reverse(f"hiring:{e.name}", args=[world.b_review.pk])

    assert sweep(world, client, lambda e: (404,), endpoints, url) == []


def test_numbers_and_keys_that_do_not_exist_are_404_never_500(world: World) -> None:
    client = client_for(world.owner)
    pk = world.active.pk
    urls = [
        reverse("hiring:version_print", args=[pk, 99]),
        reverse("hiring:version_print", args=[pk, 0]),
        reverse("hiring:change_detail", args=[pk, 10**9]),
        reverse("hiring:checkin_detail", args=[pk, 10**9]),
        f"/contracts/{pk}/milestones/{'k' * 500}/accept/",
        f"/contracts/{pk}/milestones/%00/accept/",
        f"/contracts/{pk}/milestones/%C3%A9%E2%9C%93/accept/",
        f"/contracts/{10**12}/",
        f"/contracts/{10**20}/",
        f"/contracts/{pk}/check-ins/{10**20}/",
        f"/contracts/{pk}/v{10**6}/",
    ]
    problems = []
    for url in urls:
        for method in ("get", "post"):
            before = snapshot()
            response = getattr(client, method)(url)
            if response.status_code not in (404, 405):
                problems.append(f"{method} {url}: {response.status_code}")
            if changes(before, snapshot()):
                problems.append(f"{method} {url} wrote something")
    assert problems == []


# 2. Garbage --------------------------------------------------------------------------------

HUGE = "x" * 100_001
JS = "javascript:alert(document.cookie)"


def _terms(**changes: Any) -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        return _terms_post(w) | {k: str(v) for k, v in changes.items()}

    return data


def _terms_without(*names: str) -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        return {k: v for k, v in _terms_post(w).items() if k not in names}

    return data


#: Garbage for the contract form (drafting and revising): (what, data).
TERMS_GARBAGE: list[tuple[str, Callable[[World], dict[str, Any]]]] = [
    ("nothing at all", lambda w: {}),
    ("only the button", lambda w: {"save": "1"}),
    ("a title too long", _terms(title="T" * 121)),
    ("a huge scope", _terms(scope=HUGE)),
    ("a rate in letters", _terms(rate="abc")),
    ("a rate of 10**20", _terms(rate=10**20, **{"m-0-amount": 10**20, "m-1-amount": 0})),
    ("a negative rate", _terms(rate="-6000")),
    ("a rate of zero", _terms(rate="0")),
    ("a rate that is NaN", _terms(rate="NaN")),
    ("an infinite rate", _terms(rate="Infinity")),
    ("an absurd hourly rate", _terms(engagement="hourly", rate="99999")),
    ("an unknown engagement", _terms(engagement="barter")),
    ("an unknown currency", _terms(currency="EUR")),
    ("an unknown cadence", _terms(invoice_cadence="daily")),
    ("a weekday 9", _terms(checkin_weekday="9")),
    ("a check-in at 25:00", _terms(checkin_time="25:00")),
    ("a check-in at half past", _terms(checkin_time="16:30")),
    ("a call of 7 minutes", _terms(call_weekday="2", call_time="15:00", call_minutes="7")),
    ("a start on 30 February", _terms(start_on="2026-02-30")),
    ("a start in letters", _terms(start_on="soon")),
    ("a start in year 0", _terms(start_on="0000-01-01")),
    ("a start that passed", _terms(start_on="2020-01-01")),
    ("an end before the start", _terms(end_on="2020-01-01")),
    ("an end in year 10000", _terms(end_on="10000-01-01")),
    ("a start in year 9999", _terms(start_on="9999-12-31", end_on="")),
    ("an end in year 9999", _terms(end_on="9999-12-31")),
    ("hours 10**20", _terms(hours_cap=10**20)),
    ("hours -5", _terms(hours_cap=-5)),
    ("notice of 10**20 days", _terms(notice_days=10**20)),
    ("notice of -1 day", _terms(notice_days=-1)),
    ("paid within abc days", _terms(pay_within_days="abc")),
    ("a trial of 100 weeks", _terms(trial_weeks=100)),
    (
        "a trial past the year 9999",
        _terms(
            start_on="9999-12-01",
            end_on="9999-12-31",
            trial_weeks=12,
            **{"m-0-due_on": "9999-12-10", "m-1-due_on": "9999-12-20"},
        ),
    ),
    ("a javascript: Slack link", _terms(tool_slack=JS)),
    ("an http Slack link", _terms(tool_slack="http://acme.slack.com/x")),
    ("a data: repository link", _terms(tool_repository="data:text/html,<script>1</script>")),
    ("a huge link", _terms(tool_trello="https://trello.com/" + "b" * 600)),
    ("amounts that do not add up", _terms(**{"m-0-amount": "1", "m-1-amount": "1"})),
    ("a negative amount", _terms(**{"m-0-amount": "-3000", "m-1-amount": "9000"})),
    ("an amount in letters", _terms(**{"m-0-amount": "three thousand"})),
    ("a milestone due before the start", _terms(**{"m-0-due_on": "2020-01-01"})),
    ("a milestone due on 31 April", _terms(**{"m-0-due_on": "2026-04-31"})),
    ("a milestone without criteria", _terms(**{"m-0-acceptance_criteria": ""})),
    ("a milestone title too long", _terms(**{"m-0-title": "M" * 121})),
    ("no management form", _terms_without("m-TOTAL_FORMS", "m-INITIAL_FORMS")),
    ("a million milestone rows", _terms(**{"m-TOTAL_FORMS": 10**6})),
    ("milestone rows in letters", _terms(**{"m-TOTAL_FORMS": "many"})),
]


def _contract_forms(w: World) -> list[tuple[str, User, str]]:
    return [
        ("contract_new", w.owner, reverse("hiring:contract_new", args=[w.fresh.pk])),
        ("contract_edit", w.owner, reverse("hiring:contract_edit", args=[w.offered.pk])),
    ]


def test_garbage_in_the_contract_form_is_refused_and_nothing_is_saved(world: World) -> None:
    problems = []
    client = client_for(world.owner)
    for name, _user, url in _contract_forms(world):
        for what, data in TERMS_GARBAGE:
            before = snapshot()
            response = client.post(url, data(world))
            if response.status_code != 400:
                problems.append(f"{name}, {what}: {response.status_code}")
            if changes(before, snapshot()):
                problems.append(f"{name}, {what}: wrote {changes(before, snapshot())}")
    assert problems == []


def _change(**changes: Any) -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        return _change_post(w) | {k: str(v) for k, v in changes.items()}

    return data


CHANGE_GARBAGE: list[tuple[str, Callable[[World], dict[str, Any]]]] = [
    ("nothing at all", lambda w: {}),
    ("no note", _change(note="")),
    ("a huge note", _change(note=HUGE)),
    ("a huge scope", _change(scope=HUGE)),
    ("a rate in letters", _change(rate="abc")),
    ("a rate of 10**20", _change(rate=10**20)),
    ("a negative rate", _change(rate="-1")),
    ("hours of 10**20", _change(hours_cap=10**20)),
    ("an end on 30 February", _change(end_on="2026-02-30")),
    ("an end before the start", _change(end_on="2000-01-01")),
    ("a removed milestone key of another contract", _change(**{"milestones-0-key": "zzzzzzzz"})),
    ("a key too long", _change(**{"milestones-0-key": "k" * 500})),
    ("a negative amount", _change(**{"milestones-0-amount": "-5"})),
    ("a million rows", _change(**{"milestones-TOTAL_FORMS": 10**6})),
    ("rows in letters", _change(**{"milestones-TOTAL_FORMS": "x"})),
]


def _post_garbage(
    client: Client, name: str, url: str, cases: list[tuple[str, Any]], w: World
) -> list[str]:
    problems = []
    for what, data in cases:
        before = snapshot()
        response = client.post(url, data(w) if callable(data) else data)
        if not 400 <= response.status_code < 500:
            problems.append(f"{name}, {what}: {response.status_code}")
        written = changes(before, snapshot())
        if written:
            problems.append(f"{name}, {what}: wrote {written}")
    return problems


def test_garbage_in_a_change_order_is_refused_and_nothing_is_saved(world: World) -> None:
    pk = world.active.pk
    counter = reverse("hiring:change_counter", args=[pk, world.change.pk])
    problems = _post_garbage(
        client_for(world.engineer), "change_counter", counter, CHANGE_GARBAGE, world
    )
    # With the company's change withdrawn, a new one may be proposed.
    change_services.change_withdraw(contract=world.active, change=world.change, by=world.owner)
    new = reverse("hiring:change_new", args=[pk])
    problems += _post_garbage(client_for(world.owner), "change_new", new, CHANGE_GARBAGE, world)
    assert problems == []


def _forms_garbage(w: World) -> list[tuple[str, User, str, list[tuple[str, Any]]]]:
    """(name, who posts, url, [(what, data)]) for every small form of issue 12."""
    pk, offered = w.active.pk, w.offered.pk
    now_monday = schedule.week_now(w.active.current, timezone.now())  # type: ignore[arg-type]
    return [
        (
            "version_accept",
            w.engineer,
            reverse("hiring:version_accept", args=[offered, 1]),
            [
                ("no hash", {}),
                ("a wrong hash", {"content_hash": "0" * 64}),
                ("a huge hash", {"content_hash": HUGE}),
                ("another version's hash", {"content_hash": w.active.current.content_hash}),  # type: ignore[union-attr]
            ],
        ),
        (
            "version_decline",
            w.engineer,
            reverse("hiring:version_decline", args=[offered, 1]),
            [("no note", {}), ("blanks", {"note": "   "}), ("a huge note", {"note": HUGE})],
        ),
        (
            "contract_withdraw",
            w.owner,
            reverse("hiring:contract_withdraw", args=[offered]),
            [("a huge note", {"note": HUGE})],
        ),
        (
            "change_accept",
            w.engineer,
            reverse("hiring:change_accept", args=[pk, w.change.pk]),
            [
                ("a wrong hash", {"accept-content_hash": "f" * 64}),
                ("a huge note", {"accept-note": HUGE}),
            ],
        ),
        (
            "change_reject",
            w.engineer,
            reverse("hiring:change_reject", args=[pk, w.change.pk]),
            [("no note", {}), ("a huge note", {"reject-note": HUGE})],
        ),
        (
            "change_withdraw",
            w.owner,
            reverse("hiring:change_withdraw", args=[pk, w.change.pk]),
            [("a huge note", {"withdraw-note": HUGE})],
        ),
        (
            "milestone_submit",
            w.engineer,
            reverse("hiring:milestone_submit", args=[pk, w.open_key]),
            [
                ("no note", {"link": "https://github.com/a/b"}),
                ("blanks", {"note": "  ", "link": ""}),
                ("a huge note", {"note": HUGE}),
                ("a javascript: link", {"note": "Done", "link": JS}),
                ("an http link", {"note": "Done", "link": "http://github.com/a/b"}),
                ("a huge link", {"note": "Done", "link": "https://a.io/" + "p" * 600}),
                ("not a link", {"note": "Done", "link": "see the repo"}),
            ],
        ),
        (
            "milestone_changes",
            w.owner,
            reverse("hiring:milestone_changes", args=[pk, w.submitted_key]),
            [("no note", {}), ("a huge note", {"note": HUGE})],
        ),
        (
            "payment_paid",
            w.owner,
            reverse("hiring:payment_paid", args=[pk, w.payment.pk]),
            [("a huge reference", {"note": "R" * 301})],
        ),
        (
            "checkin_answer",
            w.engineer,
            reverse("hiring:checkin_answer", args=[pk, w.due.pk]),
            [
                ("nothing", {}),
                ("blanks", ANSWER | {"done": "  ", "next": " "}),
                ("a huge text", ANSWER | {"done": HUGE}),
                ("hours in letters", ANSWER | {"hours": "abc"}),
                ("negative hours", ANSWER | {"hours": "-1"}),
                ("hours of 10**20", ANSWER | {"hours": str(10**20)}),
                ("hours that are NaN", ANSWER | {"hours": "NaN"}),
                ("hours of 1e3", ANSWER | {"hours": "1e3"}),
                ("an unknown health", ANSWER | {"health": "great"}),
            ],
        ),
        (
            "checkin_reply",
            w.owner,
            reverse("hiring:checkin_reply", args=[pk, w.answered.pk]),
            [
                ("nothing", {}),
                ("an unknown answer", REPLY | {"priorities_clear": "maybe"}),
                ("a huge feedback", REPLY | {"feedback": HUGE}),
            ],
        ),
        (
            "checkin_skip",
            w.engineer,
            reverse("hiring:checkin_skip", args=[pk]),
            [
                ("no week", {}),
                ("30 February", {"week": "2026-02-30"}),
                ("letters", {"week": "next"}),
                ("a Tuesday", {"week": (now_monday + timedelta(days=1)).isoformat()}),
                ("a week a year ahead", {"week": (now_monday + timedelta(weeks=52)).isoformat()}),
                ("last week", {"week": (now_monday - timedelta(weeks=1)).isoformat()}),
                ("year 1", {"week": "0001-01-01"}),
            ],
        ),
        (
            "contract_end",
            w.engineer,
            reverse("hiring:contract_end", args=[pk]),
            [
                ("nothing", {}),
                (
                    "no reason",
                    {"end-ends_on": (timezone.localdate() + timedelta(days=30)).isoformat()},
                ),
                ("a huge reason", _end_post(w) | {"end-reason": HUGE}),
                ("30 February", _end_post(w) | {"end-ends_on": "2026-02-30"}),
                ("letters", _end_post(w) | {"end-ends_on": "tomorrow"}),
                ("today", _end_post(w) | {"end-ends_on": timezone.localdate().isoformat()}),
                (
                    "inside the notice",
                    _end_post(w)
                    | {"end-ends_on": (timezone.localdate() + timedelta(days=13)).isoformat()},
                ),
                (
                    "after the agreed end",
                    _end_post(w)
                    | {"end-ends_on": (timezone.localdate() + timedelta(days=400)).isoformat()},
                ),
                ("year 9999", _end_post(w) | {"end-ends_on": "9999-12-31"}),
                ("year 1", _end_post(w) | {"end-ends_on": "0001-01-01"}),
            ],
        ),
        (
            "handover_tick",
            w.engineer,
            reverse("hiring:handover_tick", args=[w.ended.pk]),
            [
                ("nothing", {}),
                ("an unknown item", {"item": "keys", "action": "tick"}),
                ("an unknown action", {"item": "access", "action": "burn"}),
            ],
        ),
        (
            "review_reply",
            w.engineer,
            reverse("hiring:review_reply", args=[w.company_review.pk]),
            [("nothing", {}), ("blanks", {"text": "   "}), ("a huge reply", {"text": HUGE})],
        ),
        (
            "review_report",
            w.engineer,
            reverse("hiring:review_report", args=[w.company_review.pk]),
            [("nothing", {}), ("a huge note", {"note": HUGE})],
        ),
    ]


def test_garbage_in_every_small_form_is_refused_and_nothing_is_saved(world: World) -> None:
    problems = []
    for name, user, url, cases in _forms_garbage(world):
        problems += _post_garbage(client_for(user), name, url, cases, world)
    assert problems == []


REVIEW_GARBAGE: list[tuple[str, Any]] = [
    ("nothing", {}),
    ("no stars", REVIEW_POST | {"stars": ""}),
    ("zero stars", REVIEW_POST | {"stars": "0"}),
    ("six stars", REVIEW_POST | {"stars": "6"}),
    ("stars in letters", REVIEW_POST | {"stars": "five"}),
    ("a sub-score of 9", REVIEW_POST | {"quality": "9"}),
    ("a sub-score of -1", REVIEW_POST | {"quality": "-1"}),
    ("no public text", REVIEW_POST | {"public_text": "  "}),
    ("a huge public text", REVIEW_POST | {"public_text": HUGE}),
    ("a huge private note", REVIEW_POST | {"private_note": HUGE}),
]


def test_garbage_in_a_review_is_refused_and_nothing_is_saved(world: World) -> None:
    fresh = _end(_contract(world.owner, world.profile, "Alpha to review"))
    url = reverse("hiring:review_new", args=[fresh.pk])
    problems = _post_garbage(client_for(world.owner), "review_new", url, REVIEW_GARBAGE, world)
    engineer_cases = [(w, d | {"clarity": d.get("quality", "4")}) for w, d in REVIEW_GARBAGE]
    problems += _post_garbage(client_for(world.engineer), "review_new", url, engineer_cases, world)
    # A review of a contract that has not ended, and of one that never started.
    for contract in (world.active, world.offered):
        problems += _post_garbage(
            client_for(world.owner),
            f"review_new of a {contract.status} contract",
            reverse("hiring:review_new", args=[contract.pk]),
            [("a good review", REVIEW_POST)],
            world,
        )
    assert problems == []


def test_a_post_without_its_csrf_token_is_refused_and_nothing_is_saved(world: World) -> None:
    """Every POST of issue 12, as its rightful side would send it, but without the token."""
    problems = []
    for endpoint in ENDPOINTS:
        if "post" not in endpoint.methods:
            continue
        user = world.engineer if endpoint.who == "engineer" else world.owner
        client = client_for(user, csrf=True)
        before = snapshot()
        response = client.post(endpoint.url(world), endpoint.data(world))
        if response.status_code != 403:
            problems.append(f"{endpoint.name}: {response.status_code}")
        if changes(before, snapshot()):
            problems.append(f"{endpoint.name} wrote {changes(before, snapshot())}")
    assert problems == []


# 3. Replays and races --------------------------------------------------------------------


def mails(template: str) -> list[tuple[str, str]]:
    return sorted(
        OutboundEmail.objects.filter(template__endswith=template).values_list("to", "key")
    )


def twice(client: Client, url: str, data: dict[str, Any]) -> tuple[int, int]:
    first = client.post(url, data).status_code
    return first, client.post(url, data).status_code


def test_accepting_a_version_twice_records_one_acceptance_and_starts_once(world: World) -> None:
    offered = world.offered
    url = reverse("hiring:version_accept", args=[offered.pk, 1])
    data = {"content_hash": offered.current.content_hash}  # type: ignore[union-attr]
    assert twice(client_for(world.engineer), url, data) == (302, 409)
    assert VersionAcceptance.objects.filter(version=offered.current).count() == 1
    accepted = mails("contracts/email/accepted")
    assert len(accepted) == len({to for to, _ in accepted}) >= 1
    # The company, twice too (a teammate and the owner): the contract starts once.
    assert client_for(world.teammate).post(url, data).status_code == 302
    assert client_for(world.owner).post(url, data).status_code == 409
    offered.refresh_from_db()
    assert offered.status == Contract.Status.ACTIVE
    started = mails("contracts/email/started")
    assert len(started) == len({to for to, _ in started})
    assert world.engineer.email in {to for to, _ in started}
    assert StageMove.objects.filter(candidacy=offered.candidacy, to_stage="hired").count() == 1


def test_an_old_version_cannot_be_accepted_after_a_revision(world: World) -> None:
    from hiring.contracts import services as contract_services
    from tests.contracts.conftest import milestones, terms

    offered = world.offered
    old_hash = offered.current.content_hash  # type: ignore[union-attr]
    contract_services.draft_save(
        contract=offered,
        by=world.owner,
        terms=terms(title="Alpha offer, revised"),
        milestones=milestones(),
    )
    contract_services.contract_send(contract=offered, by=world.owner)
    before = snapshot()
    response = client_for(world.engineer).post(
        reverse("hiring:version_accept", args=[offered.pk, 1]), {"content_hash": old_hash}
    )
    assert response.status_code == 409
    assert "replaced by version 2" in text(response)
    assert changes(before, snapshot()) == []


def test_accepting_a_change_twice_makes_one_version_and_one_email(world: World) -> None:
    url = reverse("hiring:change_accept", args=[world.active.pk, world.change.pk])
    data = {"accept-content_hash": world.change.proposal.content_hash}
    assert twice(client_for(world.engineer), url, data) == (302, 409)
    assert ContractVersion.objects.filter(contract=world.active, number=2).count() == 1
    world.active.refresh_from_db()
    assert world.active.current_id == world.change.proposal_id
    sent = mails("changes/email/accepted")
    assert len(sent) == len({to for to, _ in sent}) >= 1


def test_a_change_cannot_be_accepted_once_the_contract_has_ended(world: World) -> None:
    _end(world.active)
    before_version = world.active.current_id
    response = client_for(world.engineer).post(
        reverse("hiring:change_accept", args=[world.active.pk, world.change.pk]),
        {"accept-content_hash": world.change.proposal.content_hash},
    )
    assert response.status_code == 409
    world.active.refresh_from_db()
    assert world.active.current_id == before_version
    assert not ContractVersion.objects.filter(contract=world.active, number=2).exists()
    assert mails("changes/email/accepted") == []


def test_a_change_whose_base_was_replaced_cannot_be_accepted(world: World) -> None:
    """Version 2 came into force (another change) while an old proposal against version 1
    still waited: accepting the old one would undo version 2's changes."""
    active = world.active
    change_services.change_accept(contract=active, change=world.change, by=world.engineer)
    active.refresh_from_db()
    assert active.current is not None and active.current.number == 2
    # A proposal against version 1 left open (as a crash between two writes would).
    base = ContractVersion.objects.get(contract=active, number=1)
    proposal = version_copy(base, by=world.owner)
    proposal.hours_cap = 10
    proposal.save()
    version_freeze(proposal, number=None)
    stale = ChangeOrder.objects.create(
        contract=active, base=base, proposal=proposal, side=Side.COMPANY, proposed_by=world.owner
    )
    response = client_for(world.engineer).post(
        reverse("hiring:change_accept", args=[active.pk, stale.pk]),
        {"accept-content_hash": proposal.content_hash},
    )
    assert response.status_code == 409
    active.refresh_from_db()
    assert active.current is not None and active.current.number == 2
    assert not ContractVersion.objects.filter(contract=active, number=3).exists()


def test_the_same_state_change_posted_twice_happens_once(world: World) -> None:
    pk = world.active.pk
    engineer, owner = client_for(world.engineer), client_for(world.owner)
    problems = []

    def once(name: str, client: Client, url: str, data: dict[str, Any], template: str) -> None:
        earlier = set(mails(template))
        statuses = twice(client, url, data)
        if statuses[0] != 302 or statuses[1] not in (302, 409):
            problems.append(f"{name}: {statuses}")
        sent = [mail for mail in mails(template) if mail not in earlier]
        if len(sent) != len({to for to, _ in sent}) or not sent:
            problems.append(f"{name}: emails {sent}")

    submit = {"note": "Handed over.", "link": "https://github.com/acme/pull/3"}
    once(
        "milestone_submit",
        engineer,
        reverse("hiring:milestone_submit", args=[pk, world.open_key]),
        submit,
        "milestones/email/submitted",
    )
    once(
        "milestone_accept",
        owner,
        reverse("hiring:milestone_accept", args=[pk, world.submitted_key]),
        {},
        "milestones/email/accepted",
    )
    once(
        "payment_paid",
        owner,
        reverse("hiring:payment_paid", args=[pk, world.payment.pk]),
        {"note": "TX-9"},
        "milestones/email/paid",
    )
    assert (
        engineer.post(reverse("hiring:payment_confirm", args=[pk, world.payment.pk])).status_code
        == 302
    )
    assert (
        engineer.post(reverse("hiring:payment_confirm", args=[pk, world.payment.pk])).status_code
        == 409
    )
    once(
        "checkin_answer",
        engineer,
        reverse("hiring:checkin_answer", args=[pk, world.due.pk]),
        ANSWER,
        "checkins/email/checkin_answered",
    )
    once(
        "checkin_reply",
        owner,
        reverse("hiring:checkin_reply", args=[pk, world.answered.pk]),
        REPLY,
        "checkins/email/checkin_reply",
    )
    lines = Message.objects.count()
    assert twice(
        engineer, reverse("hiring:checkin_skip", args=[pk]), {"week": _this_monday(world)}
    ) == (302, 302)
    if Message.objects.count() != lines + 1:
        problems.append(f"checkin_skip: {Message.objects.count() - lines} lines")
    once(
        "contract_end",
        engineer,
        reverse("hiring:contract_end", args=[pk]),
        _end_post(world),
        "reviews/email/contract_ending",
    )
    assert problems == []
    assert MilestoneWork.objects.filter(contract=world.active).count() == 2
    assert Payment.objects.filter(contract=world.active).count() == 2  # + the milestone's


def test_writing_a_review_twice_keeps_one(world: World) -> None:
    fresh = _end(_contract(world.owner, world.profile, "Alpha to review"))
    url = reverse("hiring:review_new", args=[fresh.pk])
    OutboundEmail.objects.all().delete()
    assert twice(client_for(world.owner), url, REVIEW_POST) == (302, 409)
    assert twice(client_for(world.engineer), url, REVIEW_POST | {"clarity": "4"}) == (302, 409)
    assert ContractReview.objects.filter(contract=fresh).count() == 2
    published = mails("reviews/email/reviews_published")
    assert len(published) == len({to for to, _ in published}) >= 2


def test_every_sweep_run_twice_at_the_same_moment_sends_once(world: World) -> None:
    from hiring.checkins.services import checkin_sweep
    from hiring.milestones.services import milestone_sweep
    from hiring.reviews.services import ending_sweep

    active = world.active
    # The submitted milestone waits past its days; the payment is overdue; this week's
    # check-in has come; the notice ran out yesterday.
    MilestoneWork.objects.filter(contract=active).update(
        submitted_at=timezone.now() - timedelta(days=8)
    )
    Payment.objects.filter(pk=world.payment.pk).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    now = timezone.now()
    outbox = OutboundEmail.objects.count()
    first = (checkin_sweep(now=now), milestone_sweep(now=now))
    after_first = OutboundEmail.objects.count()
    second = (checkin_sweep(now=now), milestone_sweep(now=now))
    assert OutboundEmail.objects.count() == after_first > outbox
    assert first[1]["deemed"] == 1 and first[1]["overdue"] == 1
    assert all(v == 0 for part in second for v in part.values()), second

    Contract.objects.filter(pk=active.pk).update(
        status=Contract.Status.ENDING, ends_on=timezone.localdate() - timedelta(days=1)
    )
    later = now + timedelta(hours=1)
    assert ending_sweep(now=later)["ended"] == 1
    ended_mails = OutboundEmail.objects.count()
    assert ending_sweep(now=later) == {"ended": 0, "published": 0}
    assert OutboundEmail.objects.count() == ended_mails
    # One side reviews; the other never does: the days run out, it is published once.
    _review(active, world.owner, Side.COMPANY, "Solid work.", "")
    closed = later + timedelta(days=Contract.REVIEW_DAYS, minutes=1)
    assert ending_sweep(now=closed)["published"] == 1
    published = OutboundEmail.objects.count()
    assert published > ended_mails
    assert ending_sweep(now=closed)["published"] == 0
    assert OutboundEmail.objects.count() == published


def _at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each thread's result or exception."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(n: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[n] = call()
        except Exception as exc:  # noqa: BLE001 - the result the test reads
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_the_same_moment_take_turns(
    owner: User, teammate: User, engineer: User
) -> None:
    from accounts.errors import Refused
    from hiring.contracts import services as contract_services

    profile = ProfileFactory(user=engineer, status="approved", time_zone="Asia/Karachi")
    offered = _contract(
        owner, profile, "Race", status="offered", start_on=timezone.localdate() + timedelta(days=3)
    )
    digest = offered.current.content_hash  # type: ignore[union-attr]

    def accept(user: User) -> Callable[[], Any]:
        return lambda: contract_services.version_accept(
            contract=Contract.objects.get(pk=offered.pk), user=user, number=1, content_hash=digest
        )

    results = _at_once(accept(engineer), accept(owner), accept(teammate))
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(refused) == 1, results  # the owner and the teammate are one side
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Refused)]
    offered.refresh_from_db()
    assert offered.status == Contract.Status.ACTIVE
    assert VersionAcceptance.objects.filter(version_id=offered.current_id).count() == 2
    assert StageMove.objects.filter(candidacy=offered.candidacy, to_stage="hired").count() == 1
    started = mails("contracts/email/started")
    assert len(started) == len({to for to, _ in started})

    # Both sides give notice at once: one notice stands, the other is refused.
    last = timezone.localdate() + timedelta(days=30)

    def notice(user: User, side: str) -> Callable[[], Any]:
        return lambda: review_services.contract_end(
            contract=Contract.objects.get(pk=offered.pk),
            by=user,
            side=side,
            reason=f"The {side} ends it.",
            ends_on=last,
        )

    results = _at_once(notice(engineer, Side.ENGINEER), notice(owner, Side.COMPANY))
    assert len([r for r in results if isinstance(r, Refused)]) == 1, results
    assert len(mails("reviews/email/contract_ending")) >= 1
    offered.refresh_from_db()
    assert offered.status == Contract.Status.ENDING


# 4. Blindness and privacy ----------------------------------------------------------------

FRESH_COMPANY = "UNPUBLISHED-COMPANY-YOMIN the engineer was slow"
FRESH_COMPANY_NOTE = "UNPUBLISHED-COMPANY-NOTE-BLORB"
FRESH_ENGINEER = "UNPUBLISHED-ENGINEER-AIMFIZ the brief kept changing"
FRESH_ENGINEER_NOTE = "UNPUBLISHED-ENGINEER-NOTE-KREBF"


def _engineer_pages(w: World, contract: Contract) -> list[str]:
    pk = contract.pk
    return [
        reverse("hiring:contract_detail", args=[pk]),
        reverse("hiring:version_history", args=[pk]),
        reverse("hiring:version_print", args=[pk, 1]),
        reverse("hiring:checkin_list", args=[pk]),
        reverse("hiring:review_new", args=[pk]),
        reverse("hiring:contract_list"),
        reverse("hiring:opportunities"),
        reverse("hiring:inbox"),
        reverse("hiring:thread", args=[contract.thread_id]),
        reverse("hiring:company_page", args=[w.company.pk]),
        reverse("candidates:me"),
        reverse("candidates:preview"),
        reverse("candidates:export"),
        reverse("hiring:contract_detail", args=[w.active.pk]),
        reverse("hiring:checkin_detail", args=[w.active.pk, w.answered.pk]),
        reverse("hiring:change_detail", args=[w.active.pk, w.change.pk]),
    ]


def _company_pages(w: World, contract: Contract) -> list[str]:
    pk = contract.pk
    return [
        reverse("hiring:contract_detail", args=[pk]),
        reverse("hiring:version_history", args=[pk]),
        reverse("hiring:checkin_list", args=[pk]),
        reverse("hiring:review_new", args=[pk]),
        reverse("hiring:contract_list"),
        reverse("hiring:inbox"),
        reverse("hiring:thread", args=[contract.thread_id]),
        reverse("hiring:company_page", args=[w.company.pk]),
        reverse("accounts:dashboard"),
        reverse("candidates:detail", args=[w.profile.pk]),
        reverse("screening:candidacy", args=[contract.candidacy_id]),
        reverse("screening:board", args=[contract.brief_id]),
    ]


def _read(client: Client, urls: list[str], secrets: tuple[str, ...]) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code not in (200, 409):  # 409: the review page, once written
            found.append(f"{url}: {response.status_code}")
            continue
        page = unescape(response.content.decode())
        found += [f"{url}: {secret}" for secret in secrets if secret in page]
    return found


def _mail_to(email: str, secrets: tuple[str, ...]) -> list[str]:
    found = []
    for mail in OutboundEmail.objects.filter(to=email):
        body = unescape(f"{mail.subject} {mail.body_text} {mail.body_html}")
        found += [f"email {mail.template}: {secret}" for secret in secrets if secret in body]
    return found


def test_a_review_stays_blind_to_the_other_side_until_published(world: World) -> None:
    fresh = _end(_contract(world.owner, world.profile, "Alpha blind"))
    mine = _review(fresh, world.owner, Side.COMPANY, FRESH_COMPANY, FRESH_COMPANY_NOTE)
    assert mine.published_at is None
    secrets = (FRESH_COMPANY, FRESH_COMPANY_NOTE, COMPANY_PRIVATE)
    engineer = client_for(world.engineer)
    assert _read(engineer, _engineer_pages(world, fresh), secrets) == []
    assert _mail_to(world.engineer.email, secrets) == []
    # Its id tells the engineer nothing either.
    for name in ("review_reply", "review_report"):
        assert engineer.get(reverse(f"hiring:{name}", args=[mine.pk])).status_code == 404
    # The other way round: the engineer's review, before the company's.
    other = _end(_contract(world.owner, world.profile, "Alpha blind too"))
    theirs = _review(other, world.engineer, Side.ENGINEER, FRESH_ENGINEER, FRESH_ENGINEER_NOTE)
    secrets = (FRESH_ENGINEER, FRESH_ENGINEER_NOTE, ENGINEER_PRIVATE)
    for who in (world.owner, world.teammate):
        assert _read(client_for(who), _company_pages(world, other), secrets) == []
        assert _mail_to(who.email, secrets) == []
    assert (
        client_for(world.owner).get(reverse("hiring:review_reply", args=[theirs.pk])).status_code
        == 404
    )


def test_the_engineer_never_reads_stage_names_or_the_teams_notes(world: World) -> None:
    from hiring.contracts import services as contract_services

    # The offer is accepted by both (the card moves to Hired, with a note), and every
    # kind of email of issue 12 reaches the engineer.
    StageMove.objects.filter(candidacy=world.offered.candidacy).update(note=MOVE_NOTE)
    digest = world.offered.current.content_hash  # type: ignore[union-attr]
    for user in (world.engineer, world.owner):
        contract_services.version_accept(
            contract=world.offered, user=user, number=1, content_hash=digest
        )
    StageMove.objects.filter(candidacy=world.offered.candidacy).update(note=MOVE_NOTE)
    engineer = client_for(world.engineer)
    secrets = (MOVE_NOTE, COMPANY_PRIVATE, "Hired", "Offer stage", "Sourced", "Interested")
    pages = _engineer_pages(world, world.ended) + _engineer_pages(world, world.offered)
    assert _read(engineer, pages, secrets) == []
    assert OutboundEmail.objects.filter(
        to=world.engineer.email, template="hiring/contracts/email/started"
    ).exists()
    assert _mail_to(world.engineer.email, secrets) == []


def test_a_hidden_review_appears_nowhere(world: World) -> None:
    staff = User.objects.create_user(email="staff@karigar.example", password="x", role="staff")
    hidden = review_services.review_hide(
        reviews=[world.company_review, world.engineer_review], by=staff, note="Reported: untrue."
    )
    assert hidden == 2
    secrets = (COMPANY_REVIEW, ENGINEER_REVIEW)
    # (Their own export still holds what they wrote: it is theirs, not public.)
    pages = [url for url in _engineer_pages(world, world.ended) if "export" not in url]
    problems = _read(client_for(world.engineer), pages, secrets)
    problems += _read(client_for(world.owner), _company_pages(world, world.ended), secrets)
    # Another company reading the engineer's profile sees no stars either.
    response = client_for(world.outsider).get(reverse("candidates:detail", args=[world.profile.pk]))
    assert response.status_code == 200
    page = text(response)
    problems += [s for s in secrets if s in page]
    if "out of 5" in page:
        problems.append("the outsider reads an average of hidden reviews")
    assert problems == []


def test_the_engineers_export_holds_what_they_wrote_and_nothing_of_the_others(
    world: World,
) -> None:
    import json

    fresh = _end(_contract(world.owner, world.profile, "Alpha exported"))
    _review(fresh, world.owner, Side.COMPANY, FRESH_COMPANY, FRESH_COMPANY_NOTE)
    response = client_for(world.engineer).get(reverse("candidates:export"))
    assert response.status_code == 200
    body = json.dumps(json.loads(response.content), ensure_ascii=False)
    for what in (
        A_TITLE,  # their contracts
        "Shipped the export.",  # the check-ins they answered
        ENGINEER_REVIEW,  # the reviews they wrote
        ENGINEER_PRIVATE,  # and their own note to staff
    ):
        assert what in body, what
    for secret in (FRESH_COMPANY, FRESH_COMPANY_NOTE, COMPANY_PRIVATE, MOVE_NOTE, B_TITLE):
        assert secret not in body, secret


def test_a_teammates_export_holds_their_side_and_nothing_of_the_engineers(world: World) -> None:
    import json

    from accounts.services import account_export

    fresh = _end(_contract(world.owner, world.profile, "Alpha exported"))
    _review(fresh, world.engineer, Side.ENGINEER, FRESH_ENGINEER, FRESH_ENGINEER_NOTE)
    client_for(world.owner).post(
        reverse("hiring:checkin_reply", args=[world.active.pk, world.answered.pk]), REPLY
    )
    body = json.dumps(account_export(user=world.owner), default=str, ensure_ascii=False)
    for what in (COMPANY_REVIEW, COMPANY_PRIVATE, REPLY["feedback"]):
        assert what in body, what
    for secret in (FRESH_ENGINEER, FRESH_ENGINEER_NOTE, ENGINEER_PRIVATE):
        assert secret not in body, secret


# 5. Time -------------------------------------------------------------------------------------

UTC_ = ZoneInfo("UTC")


def _engineer_in(engineer: User, zone: str) -> Profile:
    return ProfileFactory(user=engineer, status="approved", time_zone=zone)


def _running(owner: User, profile: Profile, *, since: date, **terms: Any) -> Contract:
    """Running since ``since`` (in the past or the future: the sweeps take ``now``)."""
    start = datetime.combine(since, time(0), tzinfo=UTC_) - timedelta(days=1)
    return _contract(
        owner,
        profile,
        "Clockwork",
        start_on=since,
        end_on=since + timedelta(days=120),
        started_at=start,
        **terms,
    )


def _sent(contract: Contract) -> int:
    return OutboundEmail.objects.filter(
        template="hiring/checkins/email/checkin_due", to=contract.profile.user.email
    ).count()


def test_a_late_sunday_check_in_goes_out_at_its_hour_and_once_across_midnight(
    owner: User, engineer: User
) -> None:
    """Sunday 23:00 in Lahore is 18:00 UTC; the sweep at 19:00 UTC is already Monday there."""
    from hiring.checkins.services import checkin_sweep

    profile = _engineer_in(engineer, "Asia/Karachi")
    contract = _running(
        owner, profile, since=date(2026, 9, 1), checkin_weekday=6, checkin_time=time(23, 0)
    )
    sunday = date(2026, 9, 13)
    assert checkin_sweep(now=datetime(2026, 9, 13, 17, 0, tzinfo=UTC_))["sent"] == 0
    assert checkin_sweep(now=datetime(2026, 9, 13, 18, 0, tzinfo=UTC_))["sent"] == 1
    for hour in (18, 19, 20):  # the same hour again, then Monday in Lahore
        assert checkin_sweep(now=datetime(2026, 9, 13, hour, 0, tzinfo=UTC_))["sent"] == 0
    assert _sent(contract) == 1
    assert CheckIn.objects.get(contract=contract).week_of == sunday - timedelta(days=6)
    # A sweep that was down at 18:00 and first runs after the engineer's midnight still
    # sends that Sunday's check-in, once.
    other = _running(
        owner, profile, since=date(2026, 9, 1), checkin_weekday=6, checkin_time=time(23, 0)
    )
    assert checkin_sweep(now=datetime(2026, 9, 20, 19, 5, tzinfo=UTC_))["sent"] == 2
    assert checkin_sweep(now=datetime(2026, 9, 20, 20, 0, tzinfo=UTC_))["sent"] == 0
    assert CheckIn.objects.filter(contract=other, week_of=date(2026, 9, 14)).exists()


@pytest.mark.parametrize(
    ("zone", "weekday", "at", "day", "due_utc"),
    [
        # London springs forward at 01:00: 01:00 does not exist, read as 01:00 GMT.
        ("Europe/London", 6, time(1, 0), date(2026, 3, 29), datetime(2026, 3, 29, 1, 0)),
        # London falls back: 01:00 happens twice; the first one counts, once.
        ("Europe/London", 6, time(1, 0), date(2026, 10, 25), datetime(2026, 10, 25, 0, 0)),
        # Chile moves at midnight: Sunday 00:00 does not exist.
        ("America/Santiago", 6, time(0, 0), date(2026, 9, 6), datetime(2026, 9, 6, 4, 0)),
        # New York, the Friday after its clocks moved: 16:00 EDT is 20:00 UTC.
        ("America/New_York", 4, time(16, 0), date(2026, 3, 13), datetime(2026, 3, 13, 20, 0)),
        ("America/New_York", 4, time(16, 0), date(2026, 3, 6), datetime(2026, 3, 6, 21, 0)),
    ],
)
def test_a_check_in_goes_out_once_at_its_local_hour_across_daylight_saving(
    owner: User, engineer: User, zone: str, weekday: int, at: time, day: date, due_utc: datetime
) -> None:
    from hiring.checkins.services import checkin_sweep

    profile = _engineer_in(engineer, zone)
    contract = _running(
        owner, profile, since=day - timedelta(days=20), checkin_weekday=weekday, checkin_time=at
    )
    due = due_utc.replace(tzinfo=UTC_)
    sent = [checkin_sweep(now=due + timedelta(hours=h))["sent"] for h in (-2, -1, 0, 0, 1, 2, 3)]
    assert sent == [0, 0, 1, 0, 0, 0, 0]
    checkin = CheckIn.objects.get(contract=contract)
    assert checkin.due_at == due
    assert checkin.week_of == day - timedelta(days=day.weekday())
    assert _sent(contract) == 1


@pytest.mark.parametrize(
    ("last_day", "midnight_utc"),
    [
        (date(2026, 3, 7), datetime(2026, 3, 8, 5, 0)),  # EST
        (date(2026, 3, 8), datetime(2026, 3, 9, 4, 0)),  # EDT from that day
        (date(2026, 11, 1), datetime(2026, 11, 2, 5, 0)),  # back to EST
    ],
)
def test_a_contract_ends_at_midnight_in_the_engineers_zone_across_daylight_saving(
    owner: User, engineer: User, last_day: date, midnight_utc: datetime
) -> None:
    from hiring.reviews.services import ending_sweep

    profile = _engineer_in(engineer, "America/New_York")
    contract = _running(owner, profile, since=last_day - timedelta(days=40))
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.ENDING, ends_on=last_day, end_side=Side.COMPANY
    )
    midnight = midnight_utc.replace(tzinfo=UTC_)
    assert ending_sweep(now=midnight - timedelta(minutes=1))["ended"] == 0
    assert ending_sweep(now=midnight)["ended"] == 1
    assert ending_sweep(now=midnight)["ended"] == 0
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED and contract.ends_on == last_day
    ended_mails = OutboundEmail.objects.filter(template="hiring/reviews/email/contract_ended")
    assert len({m.to for m in ended_mails}) == ended_mails.count() >= 2


def test_notice_is_counted_from_the_engineers_today(owner: User, engineer: User) -> None:
    """21:00 UTC: still today in New York (the company), already tomorrow in Lahore (the
    engineer, whose calendar the contract's dates follow)."""
    from unittest import mock

    company = owner.membership.company
    company.time_zone = "America/New_York"
    company.save(update_fields=["time_zone"])
    profile = _engineer_in(engineer, "Asia/Karachi")
    contract = _contract(owner, profile, "Notice")
    moment = timezone.now().astimezone(UTC_).replace(hour=21, minute=0) + timedelta(days=1)
    lahore_today = moment.astimezone(ZoneInfo("Asia/Karachi")).date()
    new_york_today = moment.astimezone(ZoneInfo("America/New_York")).date()
    assert lahore_today == new_york_today + timedelta(days=1)
    url = reverse("hiring:contract_end", args=[contract.pk])
    client = client_for(owner)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        early = new_york_today + timedelta(days=14)  # 14 days from the company's today
        response = client.post(url, {"end-reason": "Done.", "end-ends_on": early.isoformat()})
        assert response.status_code == 400
        assert "inside the notice period" in text(response)
        first = lahore_today + timedelta(days=14)
        response = client.post(url, {"end-reason": "Done.", "end-ends_on": first.isoformat()})
        assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.ends_on == first


def test_a_contract_whose_end_passed_while_the_sweep_was_down_ends_once_with_full_review_days(
    owner: User, engineer: User
) -> None:
    from hiring.checkins.services import checkin_sweep
    from hiring.reviews.services import ending_sweep

    profile = _engineer_in(engineer, "Asia/Karachi")
    today = timezone.localdate()
    contract = _contract(
        owner,
        profile,
        "Overrun",
        start_on=today - timedelta(days=60),
        end_on=today - timedelta(days=10),
        started_at=timezone.now() - timedelta(days=60),
    )
    now = timezone.now()
    # The check-in sweep, up again first, sends nothing for weeks after the end.
    assert checkin_sweep(now=now)["sent"] == 0
    assert ending_sweep(now=now) == {"ended": 1, "published": 0}
    assert ending_sweep(now=now) == {"ended": 0, "published": 0}
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
    assert contract.ends_on == today - timedelta(days=10)
    assert contract.reviews_close_at == now + timedelta(days=Contract.REVIEW_DAYS)
    # Both sides can still review it.
    response = client_for(engineer).get(reverse("hiring:review_new", args=[contract.pk]))
    assert response.status_code == 200


def test_a_payment_is_overdue_on_the_home_pages_when_it_is_overdue_on_the_contract(
    owner: User, engineer: User
) -> None:
    """The engineer works from New York; Karigar's own clock is Lahore's. At 22:00 UTC
    a payment due today in New York is not late yet: not on the contract page, not in
    the sweep, and not on either home page."""
    from unittest import mock

    from hiring.milestones.services import milestone_sweep

    profile = _engineer_in(engineer, "America/New_York")
    contract = _contract(owner, profile, "Overdue")
    moment = timezone.now().astimezone(UTC_).replace(hour=22, minute=0) + timedelta(days=2)
    new_york_today = moment.astimezone(ZoneInfo("America/New_York")).date()
    assert moment.astimezone(ZoneInfo("Asia/Karachi")).date() > new_york_today
    Payment.objects.create(
        contract=contract,
        label="Week of work",
        amount=Decimal("500"),
        currency="USD",
        due_on=new_york_today,
        period_start=new_york_today - timedelta(days=7),
        period_end=new_york_today - timedelta(days=1),
    )
    pages = [
        (client_for(engineer), reverse("candidates:me")),
        (client_for(owner), reverse("accounts:dashboard")),
    ]
    with mock.patch("django.utils.timezone.now", return_value=moment):
        assert milestone_sweep(now=moment)["overdue"] == 0
        for client, url in pages:
            page = text(client.get(url))
            assert "Week of work" not in page, url
    later = moment + timedelta(hours=7)  # past midnight in New York
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert milestone_sweep(now=later)["overdue"] == 1
        for client, url in pages:
            assert "Week of work" in text(client.get(url)), url


# Found while sweeping: a change order could end a contract in the past ---------------------


def _hourly(owner: User, engineer: User) -> Contract:
    profile = _engineer_in(engineer, "Asia/Karachi")
    today = timezone.localdate()
    return _contract(
        owner,
        profile,
        "Hourly",
        milestones=0,
        engagement="hourly",
        rate=Decimal("40"),
        hours_cap=30,
        invoice_cadence="weekly",
        start_on=today - timedelta(days=30),
        end_on=today + timedelta(days=60),
        started_at=timezone.now() - timedelta(days=30),
    )


def test_a_change_cannot_move_the_end_date_into_the_past(owner: User, engineer: User) -> None:
    from tests.changes.conftest import form_data

    contract = _hourly(owner, engineer)
    yesterday = timezone.localdate() - timedelta(days=1)
    before = snapshot()
    response = client_for(owner).post(
        reverse("hiring:change_new", args=[contract.pk]),
        form_data(contract.current, end_on=yesterday, note="Let us stop."),
    )
    assert response.status_code == 400
    assert "has passed" in text(response)
    assert changes(before, snapshot()) == []


def test_a_change_whose_new_end_date_passed_meanwhile_cannot_be_accepted(
    owner: User, engineer: User
) -> None:
    from unittest import mock

    contract = _hourly(owner, engineer)
    soon = timezone.localdate() + timedelta(days=2)
    change = change_services.change_propose(
        contract=contract,
        by=owner,
        proposed=proposed_from(contract.current, end_on=soon, note="Wrap up this week."),
    )
    later = timezone.now() + timedelta(days=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        before = snapshot()
        response = client_for(engineer).post(
            reverse("hiring:change_accept", args=[contract.pk, change.pk]),
            {"accept-content_hash": change.proposal.content_hash},
        )
    assert response.status_code == 409
    assert "has passed" in text(response)
    contract.refresh_from_db()
    assert contract.current is not None and contract.current.number == 1
    assert changes(before, snapshot()) == []


def test_the_engineer_never_reads_a_revision_the_company_has_not_sent(world: World) -> None:
    from hiring.contracts import services as contract_services
    from tests.contracts.conftest import milestones, terms

    secret = "REVISION-NOT-SENT-FOOBLE"
    contract_services.draft_save(
        contract=world.offered,
        by=world.owner,
        terms=terms(title=secret, scope=f"{secret}: a smaller scope."),
        milestones=milestones(),
    )
    engineer = client_for(world.engineer)
    pages = _engineer_pages(world, world.offered) + [reverse("hiring:contract_list")]
    assert _read(engineer, pages, (secret,)) == []
    assert (
        engineer.get(reverse("hiring:version_print", args=[world.offered.pk, 2])).status_code == 404
    )
    assert _mail_to(world.engineer.email, (secret,)) == []


def test_more_replays_do_nothing_twice(world: World) -> None:
    owner, engineer = client_for(world.owner), client_for(world.engineer)
    # Drafting the same contract twice leads to the first one.
    url = reverse("hiring:contract_new", args=[world.fresh.pk])
    first, second = owner.post(url, _terms_post(world)), owner.post(url, _terms_post(world))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Contract.objects.filter(candidacy=world.fresh).count() == 1
    drafted = Contract.objects.get(candidacy=world.fresh)
    # Sending it twice sends one version, one email.
    send = reverse("hiring:contract_send", args=[drafted.pk])
    assert twice(owner, send, {}) == (302, 409)
    assert ContractVersion.objects.filter(contract=drafted, number__isnull=False).count() == 1
    assert len(mails("contracts/email/offered")) == 1
    # Declining twice: one decline, one email.
    decline = reverse("hiring:version_decline", args=[drafted.pk, 1])
    assert twice(engineer, decline, {"note": "Too few hours."}) == (302, 409)
    assert len(mails("contracts/email/declined")) == 1
    # A public reply posted twice: one reply.
    reply = reverse("hiring:review_reply", args=[world.company_review.pk])
    assert twice(engineer, reply, {"text": "Thank you."}) == (302, 409)
    world.company_review.refresh_from_db()
    assert world.company_review.reply_text == "Thank you."
    # A handover item ticked twice: one tick.
    tick = reverse("hiring:handover_tick", args=[world.ended.pk])
    assert twice(engineer, tick, {"item": "access", "action": "tick"}) == (302, 302)
    assert HandoverTick.objects.filter(contract=world.ended).count() == 1


def test_skipping_never_sends_the_browser_to_another_site(world: World) -> None:
    url = reverse("hiring:checkin_skip", args=[world.active.pk])
    for target in ("https://evil.example/", "//evil.example/", JS):
        response = client_for(world.engineer).post(
            url, {"week": _this_monday(world), "next": target}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("hiring:checkin_list", args=[world.active.pk])


def test_a_contract_that_runs_to_the_year_9999_never_breaks_a_page_or_a_sweep(
    owner: User, engineer: User
) -> None:
    from hiring.checkins.services import checkin_sweep
    from hiring.milestones.services import milestone_sweep
    from hiring.reviews.services import ending_sweep

    profile = _engineer_in(engineer, "Pacific/Kiritimati")  # UTC+14, the earliest today
    today = timezone.localdate()
    contract = _contract(
        owner,
        profile,
        "Forever",
        start_on=today - timedelta(days=3),
        end_on=date(9999, 12, 31),
        started_at=timezone.now() - timedelta(days=3),
        trial_weeks=None,
        **CALL,
    )
    Milestone.objects.filter(version__contract=contract).update(due_on=date(9999, 12, 30))
    pk = contract.pk
    urls = [
        reverse("hiring:contract_detail", args=[pk]),
        reverse("hiring:version_print", args=[pk, 1]),
        reverse("hiring:version_history", args=[pk]),
        reverse("hiring:checkin_list", args=[pk]),
        reverse("hiring:call_ics", args=[pk]),
        reverse("hiring:contract_end", args=[pk]),
        reverse("hiring:change_new", args=[pk]),
    ]
    problems = []
    for user, home in ((owner, "accounts:dashboard"), (engineer, "candidates:me")):
        client = client_for(user)
        for url in [*urls, reverse(home)]:
            status = client.get(url).status_code
            if status != 200:
                problems.append(f"{user.email} {url}: {status}")
    for sweep_ in (checkin_sweep, milestone_sweep, ending_sweep):
        sweep_(now=timezone.now())
    response = client_for(owner).post(
        reverse("hiring:contract_end", args=[pk]),
        {"end-reason": "Forever is too long.", "end-ends_on": "9999-12-31"},
    )
    if response.status_code not in (302, 400):
        problems.append(f"notice to 9999-12-31: {response.status_code}")
    assert problems == []


# Found while sweeping: the paid trial's "stop without notice" was not honoured ---------------


@pytest.mark.parametrize(("started_days_ago", "allowed"), [(3, True), (20, False)])
def test_during_the_paid_trial_either_side_may_stop_without_notice(
    owner: User, engineer: User, started_days_ago: int, allowed: bool
) -> None:
    """The contract page says of a paid trial: "The first 2 weeks: either side may stop
    then without the notice period". After the trial, the notice period holds again."""
    profile = _engineer_in(engineer, "Asia/Karachi")
    today = timezone.localdate()
    start = today - timedelta(days=started_days_ago)
    contract = _contract(
        owner,
        profile,
        "On trial",
        start_on=start,
        end_on=start + timedelta(days=120),
        started_at=timezone.now() - timedelta(days=started_days_ago),
        trial_weeks=2,
    )
    detail = text(client_for(engineer).get(reverse("hiring:contract_detail", args=[contract.pk])))
    assert "either side may stop then without the notice period" in detail
    last = max(today, start + timedelta(days=13))  # the trial's last day, or today after it
    response = client_for(engineer).post(
        reverse("hiring:contract_end", args=[contract.pk]),
        {"end-reason": "Not the right fit.", "end-ends_on": last.isoformat()},
    )
    contract.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert contract.status == Contract.Status.ENDING and contract.ends_on == last
    else:
        assert response.status_code == 400
        assert "inside the notice period" in text(response)
        assert contract.status == Contract.Status.ACTIVE


# Found while sweeping: the contract page promised what the change page refused --------------


def test_after_notice_the_contract_page_does_not_promise_open_changes_go_on(
    world: World,
) -> None:
    """Notice given while the company's change waits: the ending panel said "open change
    orders included" while the scope-change panel said changes are closed, and accepting
    the change was refused (it lapses). The page must say what will happen."""
    review_services.contract_end(
        contract=world.active,
        by=world.owner,
        side=Side.COMPANY,
        reason="Budget cut.",
        ends_on=timezone.localdate() + timedelta(days=20),
    )
    engineer = client_for(world.engineer)
    page = text(engineer.get(reverse("hiring:contract_detail", args=[world.active.pk])))
    assert "open change orders included" not in page
    assert "can no longer be accepted" in page
    history = text(engineer.get(reverse("hiring:version_history", args=[world.active.pk])))
    assert "A change is waiting for an answer" not in history
    response = engineer.post(
        reverse("hiring:change_accept", args=[world.active.pk, world.change.pk]),
        {"accept-content_hash": world.change.proposal.content_hash},
    )
    assert response.status_code == 409
