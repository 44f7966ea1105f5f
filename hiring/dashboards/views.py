"""Views of dashboards: the company page engineers see before answering outreach.

The home pages' panels are not views: accounts and candidates render them through
accounts.registry (hiring.dashboards.presenters).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.web import AuthedRequest
from hiring.dashboards import selectors
from hiring.models import Side


@login_required
@require_GET
def company_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """A company as engineers see it: its details, what engineers who worked with it
    published, and how many contracts it has run. Its own members see the same page;
    an engineer sees it once the company reached out or offered a contract; anyone
    else gets 404."""
    company = selectors.get_company_for_user(request.user, pk)
    reviews = selectors.published_reviews(
        side=Side.ENGINEER, company=company, limit=selectors.COMPANY_REVIEWS
    )
    context = {"company": company, "reviews": reviews, "viewer_is_member": company.is_member}  # type: ignore[attr-defined]
    return render(request, "hiring/dashboards/company.html", context)
