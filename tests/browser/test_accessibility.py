"""axe-core finds no accessibility violations on the public pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def axe_page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    # axe is injected as a script, which the site's strict CSP would otherwise block.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/accounts/login/"])
@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_violations(axe_page: Page, path: str, width: int) -> None:
    axe_page.set_viewport_size({"width": width, "height": 900})
    axe_page.goto(path)

    results = Axe().run(axe_page)

    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ["/", "/accounts/signup/", "/accounts/login/"])
def test_pages_fit_a_phone_screen(axe_page: Page, path: str) -> None:
    axe_page.set_viewport_size({"width": 375, "height": 800})
    axe_page.goto(path)

    overflow = axe_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")

    assert overflow <= 0
