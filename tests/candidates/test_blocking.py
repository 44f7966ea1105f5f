"""An engineer hides their profile from companies, by name or by email domain.

Every place an employer could meet the profile must agree: the profile page, both
search pages (and both halves of the engine: the ranking, and the cards re-checked
against a cached ranking), and the shortlist.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from accounts.models import Company, User
from candidates import services
from candidates.forms import domain_key
from candidates.models import CompanyBlock, Profile, Skill
from searches import engine
from searches.models import Brief
from tests.factories import (
    PASSWORD,
    BriefFactory,
    CompanyFactory,
    EmployerFactory,
    EngineerFactory,
    MembershipFactory,
    ProfileFactory,
    ShortlistEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BLOCKED = reverse("candidates:blocked")
CACHED = override_settings(SEARCH_CACHE_SECONDS=600)
NAME = "Noor Ahmed"


@pytest.fixture
def noor(client: Client) -> Profile:
    """An approved engineer, signed in on ``client``."""
    user = EngineerFactory(email="noor@mail.example", full_name=NAME)
    profile = ProfileFactory(user=user, status="approved", skills=["Python", "Django"])
    client.force_login(user)
    return profile


def brief_of(company: Company, owner: User) -> Brief:
    return BriefFactory(company=company, created_by=owner, must=["Python"])


class Employer:
    """What one employer sees of the engineer on each page that can show them."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.company = user.membership.company
        self.brief = brief_of(self.company, user)
        self.client = Client()
        self.client.force_login(user)

    def shortlist(self, profile: Profile) -> None:
        ShortlistEntryFactory(brief=self.brief, profile=profile, added_by=self.user)

    def sees(self, profile: Profile) -> dict[str, bool]:
        detail = self.client.get(reverse("candidates:detail", args=[profile.pk]))
        assert detail.status_code in (200, 404)
        pages = {
            "browse": reverse("searches:browse") + "?skills=python",
            "results": reverse("searches:results", args=[self.brief.pk]),
            "shortlist": reverse("searches:shortlist", args=[self.brief.pk]),
        }
        seen = {"profile page": detail.status_code == 200}
        for page, url in pages.items():
            response = self.client.get(url)
            assert response.status_code == 200, page
            seen[page] = NAME in response.content.decode()
        return seen

    def sees_anywhere(self, profile: Profile) -> bool:
        return any(self.sees(profile).values())

    def sees_everywhere(self, profile: Profile) -> bool:
        return all(self.sees(profile).values())


def employer(company_name: str, email: str, shortlisting: Profile | None = None) -> Employer:
    """A company with one member, ``email`` (verified), and a brief whose shortlist
    holds ``shortlisting``."""
    each = Employer(EmployerFactory(email=email, membership__company__name=company_name))
    if shortlisting is not None:
        each.shortlist(shortlisting)
    return each


def block(client: Client, kind: str, value: str, **extra: Any) -> Any:
    return client.post(BLOCKED, {"kind": kind, kind: value}, **extra)


def last_message(response: Any) -> str:
    return str(list(get_messages(response.wsgi_request))[-1])


# By name -------------------------------------------------------------------------


def test_two_companies_with_the_same_name_are_both_hidden(client: Client, noor: Profile) -> None:
    older = employer("Acme Traders", "hr@acme-one.example", noor)
    newer = employer("acme   TRADERS", "hr@acme-two.example", noor)
    other = employer("Acme Traders Lahore", "hr@lahore.example", noor)

    assert block(client, "name", "Acme Traders").status_code == 302

    assert not older.sees_anywhere(noor)
    assert not newer.sees_anywhere(noor)
    assert other.sees_everywhere(noor)  # a name block is the whole name, not a part


def test_a_rename_does_not_lift_a_name_block(client: Client, noor: Profile) -> None:
    acme = employer("Acme Traders", "hr@acme.example", noor)
    block(client, "name", "Acme Traders")

    acme.company.name = "Nimbus Labs"
    acme.company.save()

    assert not acme.sees_anywhere(noor)


def test_a_company_that_takes_a_blocked_name_later_is_hidden_too(
    client: Client, noor: Profile
) -> None:
    block(client, "name", "Acme Traders")
    later = employer("Nimbus Labs", "hr@nimbus.example", noor)
    assert later.sees_everywhere(noor)

    later.company.name = "ACME Traders "
    later.company.save()

    assert not later.sees_anywhere(noor)


# By domain -----------------------------------------------------------------------


@CACHED
def test_a_domain_block_hides_the_profile_everywhere_at_once(client: Client, noor: Profile) -> None:
    acme = employer("Acme", "hr@acme.com", noor)
    assert acme.sees_everywhere(noor)  # the searches are ranked and cached now

    assert block(client, "domain", "acme.com").status_code == 302

    # The cached rankings still hold Noor: the cards' re-check hides her.
    criteria = engine.Criteria(must=[engine.Must(Skill.objects.get(name="Python").pk)])
    assert acme.sees(noor) == dict.fromkeys(
        ["profile page", "browse", "results", "shortlist"], False
    )
    # And a fresh ranking leaves her out.
    assert noor.pk not in engine.rank(criteria, acme.company).ids


def test_a_domain_block_hides_the_profile_from_the_ranking_itself(
    client: Client, noor: Profile
) -> None:
    acme = employer("Acme", "hr@acme.com", noor)
    criteria = engine.Criteria(must=[engine.Must(Skill.objects.get(name="Python").pk)])
    for plan in ("walk", "bitmap"):
        assert noor in engine.matching(criteria, acme.company, plan=plan)

    block(client, "domain", "acme.com")

    for plan in ("walk", "bitmap"):
        assert noor not in engine.matching(criteria, acme.company, plan=plan)
    assert not acme.sees_anywhere(noor)  # searches ranked afresh (no cache in tests)


@CACHED
def test_someone_on_the_domain_joining_a_company_later_brings_the_block_with_them(
    client: Client, noor: Profile
) -> None:
    nimbus = employer("Nimbus Labs", "hr@nimbus.example", noor)
    block(client, "domain", "acme.com")
    assert nimbus.sees_everywhere(noor)

    MembershipFactory(company=nimbus.company, user__email="moved@acme.com")

    assert not nimbus.sees_anywhere(noor)


def test_an_unverified_address_on_the_domain_does_not_count(client: Client, noor: Profile) -> None:
    nimbus = employer("Nimbus Labs", "hr@nimbus.example", noor)
    block(client, "domain", "acme.com")
    newcomer = MembershipFactory(
        company=nimbus.company, user__email="claims@acme.com", user__verified=False
    ).user
    address = EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=False)

    assert nimbus.sees_everywhere(noor)

    address.verified = True
    address.save()

    assert not nimbus.sees_anywhere(noor)


def test_a_verified_second_address_on_the_domain_counts(client: Client, noor: Profile) -> None:
    nimbus = employer("Nimbus Labs", "hr@nimbus.example", noor)
    EmailAddress.objects.create(user=nimbus.user, email="hr@acme.com", verified=True)

    block(client, "domain", "acme.com")

    assert not nimbus.sees_anywhere(noor)


def test_a_domain_block_leaves_other_companies_alone(client: Client, noor: Profile) -> None:
    acme = employer("Acme", "hr@acme.com", noor)
    near = employer("Acme Pakistan", "hr@acme.com.pk", noor)

    block(client, "domain", "acme.com")

    assert not acme.sees_anywhere(noor)
    assert near.sees_everywhere(noor)


# The form's answers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "existing", "unknown"),
    [("name", "Acme Traders", "Zeta Nowhere"), ("domain", "acmetraders.pk", "zeta-nowhere.com")],
)
def test_the_answer_is_the_same_whether_or_not_a_company_matches(
    kind: str, existing: str, unknown: str
) -> None:
    employer("Acme Traders", "hr@acmetraders.pk")
    answers = []
    for n, value in enumerate([existing, unknown]):
        client = Client()
        user = EngineerFactory(email=f"engineer{n}@mail.example", full_name="Same Name")
        ProfileFactory(user=user, status="approved")
        client.force_login(user)

        response = block(client, kind, value)
        page = client.get(BLOCKED).content.decode()
        page = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "TOKEN", page)
        page = re.sub(r"/profile/blocked/\d+/", "/profile/blocked/ID/", page)
        answers.append(
            (
                response.status_code,
                response["Location"],
                last_message(response).replace(value, "VALUE"),
                page.replace(value, "VALUE").replace(user.email, "EMAIL"),
            )
        )

    assert answers[0] == answers[1]
    assert answers[0][0] == 302
    assert "can no longer find or open your profile" in answers[0][2]


def test_blocking_the_same_name_or_domain_twice_keeps_one_block(
    client: Client, noor: Profile
) -> None:
    for value in ["Acme Traders", " acme  traders"]:
        assert block(client, "name", value).status_code == 302
    for value in ["acme.com", "@ACME.com", "hr@acme.com", "https://www.acme.com/jobs"]:
        assert block(client, "domain", value).status_code == 302

    blocks = sorted(noor.company_blocks.values_list("kind", "value"))
    assert blocks == [("domain", "acme.com"), ("name", "acme traders")]


@pytest.mark.parametrize(
    ("typed", "domain"),
    [
        ("acme.com", "acme.com"),
        ("  ACME.COM. ", "acme.com"),
        ("@acme.com", "acme.com"),
        ("Someone@Acme.com", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("https://www.acme.com/careers?x=1", "acme.com"),
        ("mail.acme.co.uk", "mail.acme.co.uk"),
        ("bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_a_domain_is_read_the_way_people_type_it(typed: str, domain: str) -> None:
    assert domain_key(typed) == domain


@pytest.mark.parametrize(
    "typed",
    ["", "acme", "not a domain", "acme..com", "-acme.com", "acme-.com", "http://", "127.0.0.1"],
)
def test_a_bad_domain_gets_a_400_with_a_message(client: Client, noor: Profile, typed: str) -> None:
    response = block(client, "domain", typed)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter an email domain such as acme.com" in body or "This field is required" in body
    assert not CompanyBlock.objects.exists()


@pytest.mark.parametrize("typed", ["gmail.com", "me@Gmail.com", "www.outlook.com"])
def test_a_public_mail_domain_is_refused_with_a_reason(
    client: Client, noor: Profile, typed: str
) -> None:
    response = block(client, "domain", typed)

    assert response.status_code == 400
    assert "public email service" in response.content.decode()
    assert not CompanyBlock.objects.exists()


@pytest.mark.parametrize("typed", ["", "   ", "!!!"])
def test_a_name_needs_letters_or_digits(client: Client, noor: Profile, typed: str) -> None:
    response = block(client, "name", typed)

    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not CompanyBlock.objects.exists()


def test_a_post_without_a_kind_blocks_nothing(client: Client, noor: Profile) -> None:
    response = client.post(BLOCKED, {"name": "Acme"})

    assert response.status_code == 400
    assert "Nothing was blocked" in response.content.decode()
    assert not CompanyBlock.objects.exists()


# Managing blocks -----------------------------------------------------------------


def test_the_page_explains_both_kinds_and_lists_each_block_with_a_remove_button(
    client: Client, noor: Profile
) -> None:
    empty = client.get(BLOCKED).content.decode()
    assert "By company name" in empty and "By email domain" in empty
    assert "Nothing blocked" in empty and "What to do next" in empty

    block(client, "name", "Acme  Traders")
    block(client, "domain", "acme.com")
    page = client.get(BLOCKED).content.decode()

    assert "Acme Traders" in page and "@acme.com" in page
    assert page.count(">Remove<") == 2
    assert "style=" not in page


def test_removing_a_block_shows_the_profile_again(client: Client, noor: Profile) -> None:
    acme = employer("Acme", "hr@acme.com", noor)
    block(client, "domain", "acme.com")
    assert not acme.sees_anywhere(noor)

    response = client.post(reverse("candidates:unblock", args=[noor.company_blocks.get().pk]))

    assert response.status_code == 302
    assert "no longer blocked" in last_message(response)
    assert acme.sees_everywhere(noor)


def test_another_engineer_cannot_remove_your_block(client: Client, noor: Profile) -> None:
    theirs = services.company_block(
        profile=ProfileFactory(user__email="other@mail.example"), kind="domain", value="acme.com"
    )

    response = client.post(reverse("candidates:unblock", args=[theirs.pk]))

    assert response.status_code == 404
    assert CompanyBlock.objects.filter(pk=theirs.pk).exists()


def test_removing_needs_a_post(client: Client, noor: Profile) -> None:
    mine = services.company_block(profile=noor, kind="domain", value="acme.com")

    assert client.get(reverse("candidates:unblock", args=[mine.pk])).status_code == 405
    assert CompanyBlock.objects.filter(pk=mine.pk).exists()


def test_the_export_lists_blocks_without_naming_any_company(client: Client, noor: Profile) -> None:
    employer("Acme Traders", "hr@acme.com", noor)
    block(client, "name", "acme traders")
    block(client, "domain", "acme.com")

    data = json.loads(client.get(reverse("candidates:export")).content)

    assert [(b["kind"], b["blocked"]) for b in data["blocks"]] == [
        ("Company name", "acme traders"),
        ("Email domain", "acme.com"),
    ]
    assert "Acme Traders" not in json.dumps(data)  # nothing read from the company


def test_deleting_the_account_removes_its_blocks(client: Client, noor: Profile) -> None:
    block(client, "domain", "acme.com")
    keep = services.company_block(
        profile=ProfileFactory(user__email="other@mail.example"), kind="domain", value="acme.com"
    )

    response = client.post(reverse("candidates:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert list(CompanyBlock.objects.all()) == [keep]


def test_visible_to_and_search_agree_for_every_kind_of_block() -> None:
    """One definition: the ids visible_to lets through are the ids a search ranks."""
    acme = CompanyFactory(name="Acme")
    MembershipFactory(company=acme, user=UserFactory(email="hr@acme.com", role="employer"))
    profiles = [
        ProfileFactory(status="approved", skills=["Python"], user__email=f"e{n}@mail.example")
        for n in range(4)
    ]
    services.company_block(profile=profiles[0], kind="name", value="ACME")
    services.company_block(profile=profiles[1], kind="domain", value="acme.com")
    services.company_block(profile=profiles[2], kind="domain", value="other.com")
    criteria = engine.Criteria(must=[engine.Must(Skill.objects.get(name="Python").pk)])

    visible = set(Profile.objects.visible_to(acme).values_list("pk", flat=True))
    ranked = set(engine.rank(criteria, acme).ids)

    assert visible == ranked == {profiles[2].pk, profiles[3].pk}


@pytest.mark.django_db(transaction=True)
def test_companies_blocked_before_this_change_stay_blocked_by_name() -> None:
    """The data migration: each blocked company becomes a block on its name that also
    keeps the company's id (two companies of one name: one block, both ids)."""
    before = [("candidates", "0008_searchable_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    companies = [
        old.get_model("accounts", "Company").objects.create(name=name)
        for name in ["Acme Traders", "ACME  traders", "Zeta"]
    ]
    user = old.get_model("accounts", "User").objects.create(
        email="old@mail.example", role="engineer", password="!"
    )
    Old = old.get_model("candidates", "Profile")
    profile = Old.objects.create(user=user, status="approved")
    Old.blocked_companies.through.objects.bulk_create(
        [Old.blocked_companies.through(profile_id=profile.pk, company=c) for c in companies]
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    blocks = CompanyBlock.objects.filter(profile_id=profile.pk).order_by("value")
    kept = [(b.kind, b.value, sorted(b.companies.values_list("pk", flat=True))) for b in blocks]
    assert kept == [
        ("name", "acme traders", [companies[0].pk, companies[1].pk]),
        ("name", "zeta", [companies[2].pk]),
    ]
    for company in Company.objects.filter(pk__in=[c.pk for c in companies]):
        assert not Profile.objects.visible_to(company).filter(pk=profile.pk).exists()
    assert Profile.objects.visible_to(CompanyFactory(name="Other")).filter(pk=profile.pk).exists()
