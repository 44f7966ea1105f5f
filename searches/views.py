"""Search pages: a brief's ranked results and the ad-hoc browse, sharing one template."""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts.models import Company
from accounts.replicas import replica_reads
from accounts.web import AuthedRequest, posted, reply_changed, reply_message, safe_next
from candidates import selectors as profile_selectors
from candidates.models import Profile
from searches import alerts, engine, presenters, selectors, services, stats
from searches.filters import ProfileFilter
from searches.forms import BriefForm, NoteForm
from searches.models import Brief, BriefSkill


def _search_page(
    request: AuthedRequest, *, company: Company, brief: Brief | None, skills: list[BriefSkill]
) -> HttpResponse:
    """The results page. Rendering it is most of its cost, so both of its parts are
    cached as HTML (see bench/README.md): the filter sidebar by the URL, and the
    results by everything they show, which includes each card's profile version and
    shortlist state as read fresh for this request. Each Redis round trip costs more
    than reading a small value, so both are read in one, and written in one."""
    taxonomy = profile_selectors.skill_taxonomy()
    data: QueryDict = request.GET
    if brief is not None and not request.GET:  # the sidebar starts from the brief's criteria
        data = ProfileFilter.data_from_brief(selectors.criteria_from_brief(brief, skills), taxonomy)
    filterset = ProfileFilter(data, queryset=Profile.objects.none(), taxonomy=taxonomy)
    caching = settings.SEARCH_CACHE_SECONDS > 0
    context: dict[str, object] = {
        # Rendered only on a cache miss of the sidebar.
        "skill_options": lambda: presenters.skill_options_html(
            taxonomy, set(data.getlist("skills"))
        ),
        "brief": brief,
        "brief_skills": skills,
        "shortlist_count": brief.shortlist_size if brief else None,  # type: ignore[attr-defined]
        "filter": filterset,
        "fields": presenters.SidebarFields(filterset.form),  # written only on a miss too
        "company": company,
        "page": None,
        "results": [],
        "problems": [],
    }
    sidebar_key = presenters.filters_cache_key(
        request.get_full_path(), taxonomy, data is not request.GET and list(data.lists())
    )
    status = 200
    results_key = None
    results_html: str | None = None
    sidebar_html: str | None = None
    # htmx swaps in the results alone; going back to a page its history no longer
    # holds, it asks for the whole page again.
    swap_only = request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request)
    looked_up = False  # the sidebar's key was asked of the cache, with the results'
    if not filterset.is_valid():
        context["problems"] = [e for errors in filterset.form.errors.values() for e in errors]
        status = 400
    else:
        base = selectors.criteria_from_brief(brief, skills) if brief else None
        criteria = filterset.to_criteria(base)
        key = partial(
            presenters.results_cache_key,
            full_path=request.get_full_path(),
            brief=brief,
            taxonomy=taxonomy,
        )
        try:
            with replica_reads():  # a read replica's, when there are any (accounts/replicas.py)
                page = engine.locate(criteria, company, filterset.page_number)
                if caching and not page.fresh:
                    # A cached ranking: its cached cards hold while every engineer's
                    # stamp does, and reading the stamps is lighter than the cards.
                    results_key = key(page=page, stamps=engine.stamps(page, company, brief))
                    cached = cache.get_many([results_key, *([] if swap_only else [sidebar_key])])
                    results_html, sidebar_html = cached.get(results_key), cached.get(sidebar_key)
                    looked_up = True
                if results_html is None:
                    engine.cards(page, criteria, company, brief)
        except engine.PageOutOfRange as exc:
            context["problems"] = [str(exc)]
            status = 404
        else:
            context.update(page=page, criteria=criteria)
            if caching and results_key is None:  # ranked just now: stamps from its cards
                results_key = key(page=page, stamps=engine.stamps(page, company, brief))
    fresh: dict[str, str] = {}  # written to the cache in one round trip
    if results_html is None:
        if context["page"] is not None:
            context["results"] = presenters.results(page, criteria, company, brief, taxonomy)
            context["cards_html"] = presenters.cards_html(context["results"], brief)  # type: ignore[arg-type]
        results_html = render_to_string("searches/results.html#results", context, request)
        if results_key:
            fresh[results_key] = results_html
    if swap_only:
        response = HttpResponse(results_html, status=status)
    else:
        if sidebar_html is None and caching and not looked_up:
            sidebar_html = cache.get(sidebar_key)
        if sidebar_html is None:
            sidebar_html = render_to_string("searches/results.html#filters", context, request)
            if caching:
                fresh[sidebar_key] = sidebar_html
        context["results_html"] = mark_safe(results_html)  # noqa: S308 - our template's output
        context["sidebar_html"] = mark_safe(sidebar_html)  # noqa: S308 - likewise
        response = render(request, "searches/results.html", context, status=status)
    if fresh:
        cache.set_many(fresh, settings.SEARCH_CACHE_SECONDS)
    # One URL, two answers: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    """Every listed engineer, narrowed by the filters in the URL."""
    company = account_selectors.get_company(request.user)
    return _search_page(request, company=company, brief=None, skills=[])


@login_required
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    """Engineers ranked against a brief, refined by the same filters."""
    brief, skills = selectors.get_brief_and_skills_for_user(request.user, pk, shortlist_size=True)
    return _search_page(request, company=brief.company, brief=brief, skills=skills)


@require_http_methods(["GET", "POST"])
def alerts_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A digest's unsubscribe link. No login: the signed token is the authority.

    GET only asks (mail scanners fetch links), POST turns the brief's alerts off.
    """
    brief = alerts.brief_from_token(token)
    if brief is None:
        return render(request, "searches/alerts_unsubscribe.html", {"brief": None}, status=400)
    if request.method == "POST":
        alerts.alerts_stop(brief=brief)
        return redirect("searches:alerts_unsubscribe", token=token)
    return render(request, "searches/alerts_unsubscribe.html", {"brief": brief})


# Briefs and shortlists. Every view starts from accounts' get_company (403 for
# anyone but a hiring team) or a fetch-and-check helper of searches.selectors, so
# another company's ids answer 404.


def _brief_form_page(
    request: AuthedRequest, form: BriefForm, brief: Brief | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "searches/brief_form.html", {"form": form, "brief": brief}, status=status
    )


@login_required
def brief_list(request: AuthedRequest) -> HttpResponse:
    """The company's briefs, newest first, with their shortlist sizes."""
    company = account_selectors.get_company(request.user)
    briefs = selectors.company_briefs(company)
    return render(request, "searches/brief_list.html", {"company": company, "briefs": briefs})


@login_required
def brief_create(request: AuthedRequest) -> HttpResponse:
    company = account_selectors.get_company(request.user)
    form = BriefForm(posted(request))
    if request.method != "POST":
        return _brief_form_page(request, form, None)
    if not form.is_valid():
        return _brief_form_page(request, form, None, status=400)
    data = form.cleaned_data
    brief = services.brief_create(
        company=company, user=request.user, data=data, must=data["must"], nice=data["nice"]
    )
    messages.success(request, f"“{brief.title}” is saved. Here is who it matches.")
    return redirect("searches:brief_detail", pk=brief.pk)


@login_required
def brief_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    brief = selectors.get_brief_for_user(request.user, pk)
    form = BriefForm(posted(request), instance=brief)
    if request.method != "POST":
        return _brief_form_page(request, form, brief)
    if not form.is_valid():
        return _brief_form_page(request, form, brief, status=400)
    data = form.cleaned_data
    services.brief_update(brief=brief, data=data, must=data["must"], nice=data["nice"])
    messages.success(request, "Your changes to the brief are saved.")
    return redirect("searches:brief_detail", pk=brief.pk)


@login_required
def brief_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The brief's criteria, who matches it and what they ask, and what to do next."""
    brief, skills = selectors.get_brief_and_skills_for_user(request.user, pk, shortlist_size=True)
    criteria = selectors.criteria_from_brief(brief, skills)
    context = {
        "brief": brief,
        "must": [s for s in skills if s.kind == BriefSkill.Kind.MUST],
        "nice": [s for s in skills if s.kind == BriefSkill.Kind.NICE],
        "budget_usd": criteria.max_rate_usd,
        "summary": stats.rate_summary(criteria, brief.company),
        "shortlist_count": brief.shortlist_size,  # type: ignore[attr-defined]
        "statuses": Brief.Status.choices,
    }
    return render(request, "searches/brief_detail.html", context)


@login_required
@require_POST
def brief_status(request: AuthedRequest, pk: int) -> HttpResponse:
    brief = selectors.get_brief_for_user(request.user, pk)
    status = request.POST.get("status", "")
    if status not in Brief.Status.values:
        back = reverse("searches:brief_detail", args=[brief.pk])
        return reply_message(request, "Choose open, paused or closed for the brief.", back=back)
    services.brief_set_status(brief=brief, status=status)
    messages.success(request, f"The brief is now {brief.get_status_display().lower()}.")
    return redirect("searches:brief_detail", pk=brief.pk)


@login_required
def shortlist(request: AuthedRequest, pk: int) -> HttpResponse:
    """The brief's shortlisted engineers side by side."""
    brief, skills = selectors.get_brief_and_skills_for_user(request.user, pk)
    must = [s for s in skills if s.kind == BriefSkill.Kind.MUST]
    rows = presenters.comparison_rows(brief, must)
    context = {"brief": brief, "company": brief.company, "must": must, "rows": rows}
    return render(request, "searches/shortlist.html", context)


def _shortlist_button(
    request: AuthedRequest,
    brief: Brief,
    profile: Profile | None,
    shortlisted: bool,
    back: str,
    *,
    notice: str,
) -> HttpResponse:
    """The toggle as it now stands, for htmx to swap in; just the notice when the
    engineer is no longer listed, as there is no button to show again."""
    if profile is None:
        return reply_message(request, notice, back=back, status=200)
    context: dict[str, object] = {
        "brief": brief,
        "profile": profile,
        "shortlisted": shortlisted,
        "next": back,
    }
    if request.POST.get("show_count"):  # the results page's link to the shortlist
        context["oob_count"] = brief.shortlist.count()
    return render(request, "searches/_shortlist_toggle.html", context)


@login_required
@require_POST
def shortlist_toggle(request: AuthedRequest, pk: int, profile_pk: int) -> HttpResponse:
    """Adds (action=add) or removes (action=remove) an engineer; htmx gets the button back."""
    brief = selectors.get_brief_for_user(request.user, pk)
    back = safe_next(request, reverse("searches:shortlist", args=[brief.pk]))
    action = request.POST.get("action", "add")
    profile: Profile | None
    if action == "add":
        profile = profile_selectors.get_visible_profile(brief.company, profile_pk)
        services.shortlist_add(brief=brief, profile=profile, user=request.user)
    elif action == "remove":
        services.shortlist_remove(brief=brief, profile_id=profile_pk)
        profile = profile_selectors.visible_profile(brief.company, profile_pk)
    else:
        return reply_message(request, "Choose to add the engineer or to remove them.", back=back)
    name = profile.user.display_name if profile else "The engineer"
    where = "on" if action == "add" else "off"
    notice = f"{name} is {where} the shortlist for “{brief.title}”."
    button = partial(_shortlist_button, request, brief, profile, action == "add", back)
    return reply_changed(request, notice=notice, redirect_to=back, fragment=button)


@login_required
@require_POST
def shortlist_note(request: AuthedRequest, pk: int, profile_pk: int) -> HttpResponse:
    """Saves the team's private note on a shortlisted engineer."""
    entry = selectors.get_shortlist_entry_for_user(request.user, pk, profile_pk)
    form = NoteForm(request.POST)
    back = reverse("searches:shortlist", args=[pk])
    if not form.is_valid():
        limit = NoteForm.base_fields["note"].max_length  # type: ignore[attr-defined]
        message = f"The note is too long: keep it to {limit} characters. Nothing was saved."
        return reply_message(request, message, back=back)
    services.shortlist_note(entry=entry, note=form.cleaned_data["note"])
    return reply_changed(request, notice="Note saved.", redirect_to=back)
