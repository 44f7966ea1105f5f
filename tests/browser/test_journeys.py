"""User journeys through a real browser: sign-up, verification, team invitations."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from accounts.models import Membership, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def link_in_last_email(to: str, pattern: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(pattern, message.body).group(0)


def verify_email(page: Page, address: str) -> None:
    page.goto(link_in_last_email(address, r"https?://\S+/accounts/confirm-email/\S+/"))
    page.get_by_role("button", name=re.compile("confirm", re.I)).click()


def fill_sign_up(page: Page, *, email: str, name: str, company: str | None = None) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)")).fill(PASSWORD)
    page.get_by_label("Your name").fill(name)
    if company is not None:
        page.get_by_label("Company name").fill(company)


def test_an_employer_signs_up_verifies_and_brings_in_a_teammate(
    page: Page,
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
) -> None:
    page.goto("/")
    page.get_by_role("link", name=re.compile("start hiring", re.I)).first.click()
    fill_sign_up(page, email="ayesha@acme.example", name="Ayesha Khan", company="Acme Logistics")
    page.get_by_role("button", name=re.compile("create account", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("check your inbox", re.I)
    )

    verify_email(page, "ayesha@acme.example")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acme Logistics")

    page.get_by_label("Teammate's email").fill("omar@acme.example")
    page.get_by_role("button", name=re.compile("send invitation", re.I)).click()
    expect(page.get_by_text("Invitation sent to omar@acme.example")).to_be_visible()

    # The teammate, in a browser of their own, follows the invitation.
    teammate = browser.new_context(base_url=live_server.url).new_page()
    teammate.goto(link_in_last_email("omar@acme.example", r"https?://\S+/invitations/\S+/"))
    expect(teammate.get_by_text("Acme Logistics").first).to_be_visible()
    teammate.get_by_role("link", name=re.compile("create your account", re.I)).click()
    expect(teammate.get_by_label("Company name")).to_have_count(0)
    fill_sign_up(teammate, email="omar@acme.example", name="Omar Farooq")
    teammate.get_by_role("button", name=re.compile("create account", re.I)).click()
    verify_email(teammate, "omar@acme.example")
    teammate.get_by_role("button", name=re.compile("join acme logistics", re.I)).click()

    expect(teammate.get_by_role("heading", level=1)).to_contain_text("Acme Logistics")
    expect(teammate.get_by_role("cell", name="ayesha@acme.example")).to_be_visible()
    omar = User.objects.get(email="omar@acme.example")
    assert Membership.objects.get(user=omar).company.name == "Acme Logistics"
    teammate.context.close()


def test_an_engineer_signs_up_and_lands_on_their_profile(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name=re.compile("join as an engineer", re.I)).first.click()
    fill_sign_up(page, email="sana@example.com", name="Sana Javed")
    page.get_by_label(re.compile("backend engineer looking for work", re.I)).check()
    page.get_by_role("button", name=re.compile("create account", re.I)).click()

    verify_email(page, "sana@example.com")

    expect(page).to_have_url(re.compile("/profile/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("your profile", re.I))
    assert User.objects.get(email="sana@example.com").role == User.Role.ENGINEER
