"""Search pages: a brief's ranked results and the ad-hoc browse, sharing one template."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import Company, User
from candidates.hours import overlap_hours
from candidates.models import Profile, ProfileSkill, Skill
from candidates.selectors import skill_taxonomy
from candidates.templatetags.profiles import money
from searches import alerts, engine, selectors, services, stats
from searches.filters import ProfileFilter
from searches.forms import BriefForm, NoteForm
from searches.models import Brief, BriefSkill, ShortlistEntry


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


@dataclass
class Reason:
    text: str
    good: bool


@dataclass
class Result:
    """One results card. The lists are joined into HTML here rather than looped over in
    the template: twenty cards a page make this the hot path of rendering."""

    profile: Profile
    skills: list[tuple[str, str]]
    score: int
    reasons: list[Reason]
    headline: SafeString | str
    snippet: SafeString | str
    shortlisted: bool

    @property
    def skills_html(self) -> SafeString:
        return format_html_join("", '<li class="tag">{} {}</li>', self.skills)

    @property
    def reasons_html(self) -> SafeString:
        return format_html_join(
            "",
            '<li class="reason--{}"><span aria-hidden="true">{}</span> {}</li>',
            (("good", "✓", r.text) if r.good else ("miss", "✗", r.text) for r in self.reasons),
        )

    @property
    def rate(self) -> str:
        profile = self.profile
        parts = []
        if profile.hourly_rate_usd:
            parts.append(f"{money(profile.hourly_rate_usd, 'USD')}/h")
        if profile.monthly_rate_pkr:
            parts.append(f"{money(profile.monthly_rate_pkr, 'PKR')}/month")
        return " · ".join(parts) or "Not stated"

    @property
    def experience(self) -> str:
        profile = self.profile
        years = "?" if profile.years_experience is None else profile.years_experience
        seniority = f" · {profile.get_seniority_display()}" if profile.seniority else ""
        return f"{years} years{seniority}"


def _reasons(
    profile: Profile, criteria: engine.Criteria, company: Company, names: dict[int, str]
) -> list[Reason]:
    have = set(profile.skill_ids)
    reasons = []
    for must in criteria.must:
        years = f" ({must.min_years}+ years)" if must.min_years else ""
        reasons.append(Reason(f"Has {names.get(must.skill_id, 'a skill')}{years}", True))
    for skill_id in criteria.nice:
        name = names.get(skill_id, "a skill")
        ok = skill_id in have
        reasons.append(Reason(f"{'Has' if ok else 'Lacks'} {name} (nice to have)", ok))
    if profile.years_experience is not None:
        wanted = criteria.min_years
        note = f", {wanted}+ asked" if wanted else ""
        reasons.append(Reason(f"{profile.years_experience} years of experience{note}", True))
    if criteria.max_rate_usd and profile.rate_usd is not None:
        share = profile.rate_usd / criteria.max_rate_usd
        reasons.append(Reason(f"Rate is {share:.0%} of your budget", share <= 1))
    overlap = overlap_hours(
        profile.time_zone,
        profile.work_starts,
        profile.work_ends,
        company.time_zone,
        company.work_starts,
        company.work_ends,
    )
    wanted_overlap = criteria.min_overlap_hours or 0
    reasons.append(
        Reason(
            f"{overlap:g} hours overlap with your working day", overlap >= max(wanted_overlap, 1)
        )
    )
    available = profile.availability == Profile.Availability.NOW
    reasons.append(
        Reason(
            "Available now" if available else f"Available from {profile.available_from:%-d %b}",
            available or criteria.available_by is not None,
        )
    )
    return reasons


def _skill_tags(profile: Profile, names: dict[int, str], limit: int = 8) -> list[tuple[str, str]]:
    """(name, years) of a profile's longest-used skills, read from its search columns."""
    years = dict.fromkeys(profile.skill_ids, 0)
    for token in profile.skill_levels:
        skill_id, whole_years = divmod(token, 100)
        years[skill_id] = max(years.get(skill_id, 0), whole_years)
    ranked = sorted(years.items(), key=lambda item: (-item[1], names.get(item[0], "")))
    return [(names.get(skill_id, "?"), f"{n}y" if n else "<1y") for skill_id, n in ranked[:limit]]


def _skill_groups(taxonomy: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    labels = dict(Skill.Category.choices)
    groups: dict[str, list[tuple[str, str]]] = {}
    for skill in taxonomy:
        groups.setdefault(labels.get(skill["category"], "Other"), []).append(
            (skill["slug"], skill["name"])
        )
    return list(groups.items())


def _search_page(
    request: AuthedRequest, *, company: Company, brief: Brief | None, skills: list[BriefSkill]
) -> HttpResponse:
    """The results page. Rendering it is most of its cost, so both of its parts are
    cached as HTML (see bench/README.md): the filter sidebar by the URL, and the
    results by everything they show, which includes each card's profile version and
    shortlist state as read fresh for this request."""
    taxonomy = skill_taxonomy()
    data: QueryDict = request.GET
    if brief is not None and not request.GET:  # the sidebar starts from the brief's criteria
        data = ProfileFilter.data_from_brief(selectors.criteria_from_brief(brief, skills), taxonomy)
    filterset = ProfileFilter(data, queryset=Profile.objects.none(), taxonomy=taxonomy)
    caching = settings.SEARCH_CACHE_SECONDS > 0
    stamp = [(s["id"], s["name"], s["slug"]) for s in taxonomy]
    context: dict[str, object] = {
        "skill_groups": lambda: _skill_groups(taxonomy),  # rendered only on a cache miss
        "chosen_skills": set(data.getlist("skills")),
        "brief": brief,
        "brief_skills": skills,
        "shortlist_count": brief.shortlist.count() if brief else None,
        "filter": filterset,
        "company": company,
        "page": None,
        "results": [],
        "problems": [],
        "filters_key": engine.cache_key(
            "filters",
            request.get_full_path(),
            stamp,
            data is not request.GET and list(data.lists()),
        ),
        "cache_seconds": settings.SEARCH_CACHE_SECONDS,  # 0: the cache tag keeps nothing
    }
    status = 200
    results_key = None
    if not filterset.is_valid():
        context["problems"] = [e for errors in filterset.form.errors.values() for e in errors]
        status = 400
    else:
        base = selectors.criteria_from_brief(brief, skills) if brief else None
        criteria = filterset.to_criteria(base)
        try:
            page = engine.search(criteria, company, filterset.page_number, brief=brief)
        except engine.PageOutOfRange as exc:
            context["problems"] = [str(exc)]
            status = 404
        else:
            context.update(page=page, criteria=criteria)
            if caching:
                results_key = engine.cache_key(
                    "results",
                    engine.ranking_key(criteria, company),
                    request.get_full_path(),
                    brief and (brief.pk, brief.title),
                    timezone.localdate(),  # overlap and availability are for today
                    stamp,
                    [
                        (p.pk, p.updated_at, p.user.full_name, p.user.email, p.score)  # type: ignore[attr-defined]
                        + (getattr(p, "shortlisted", False),)
                        for p in page.results
                    ],
                )
    results_html = cache.get(results_key) if results_key else None
    if results_html is None:
        if context["page"] is not None:
            context["results"] = _results(context["page"], criteria, company, brief)  # type: ignore[arg-type]
        results_html = render_to_string("searches/results.html#results", context, request)
        if results_key:
            cache.set(results_key, results_html, settings.SEARCH_CACHE_SECONDS)
    # htmx swaps in the results alone; going back to a page its history no longer
    # holds, it asks for the whole page again.
    partial = request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request)
    if partial:
        response = HttpResponse(results_html, status=status)
    else:
        context["results_html"] = mark_safe(results_html)  # noqa: S308 - our template's output
        response = render(request, "searches/results.html", context, status=status)
    # One URL, two answers: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _results(
    page: engine.Page, criteria: engine.Criteria, company: Company, brief: Brief | None
) -> list[Result]:
    profiles = page.results
    names = {s["id"]: s["name"] for s in skill_taxonomy()}
    results = []
    for profile in profiles:
        headline = getattr(profile, "headline_hit", None)
        snippet = getattr(profile, "bio_hit", None) or ""
        if criteria.text and engine.START not in snippet:
            snippet = getattr(profile, "portfolio_hit", "") or snippet
        results.append(
            Result(
                profile=profile,
                skills=_skill_tags(profile, names),
                score=round(getattr(profile, "score", 0)),
                reasons=_reasons(profile, criteria, company, names),
                headline=engine.highlight(headline) if headline else profile.headline,
                snippet=engine.highlight(snippet) if criteria.text and snippet else "",
                shortlisted=getattr(profile, "shortlisted", False),
            )
        )
    return results


@login_required
def browse(request: AuthedRequest) -> HttpResponse:
    """Every listed engineer, narrowed by the filters in the URL."""
    company = selectors.get_company(request.user)
    return _search_page(request, company=company, brief=None, skills=[])


@login_required
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    """Engineers ranked against a brief, refined by the same filters."""
    brief = selectors.get_brief_for_user(request.user, pk)
    skills = selectors.brief_skills(brief)
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


# Briefs and shortlists. Every view starts from selectors.get_company or
# selectors.get_brief_for_user, so another company's ids answer 404.


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _problem(request: AuthedRequest, message: str, back: str, status: int = 400) -> HttpResponse:
    """A 4xx page (or, for htmx, just its message) that says what was wrong."""
    template = "searches/message.html"
    if request.htmx:
        template += "#message"
    return render(
        request, template, {"message": message, "back": back, "ok": status < 400}, status=status
    )


def _brief_form_page(
    request: AuthedRequest, form: BriefForm, brief: Brief | None, status: int = 200
) -> HttpResponse:
    return render(
        request, "searches/brief_form.html", {"form": form, "brief": brief}, status=status
    )


@login_required
def brief_list(request: AuthedRequest) -> HttpResponse:
    """The company's briefs, newest first, with their shortlist sizes."""
    company = selectors.get_company(request.user)
    briefs = (
        Brief.objects.filter(company=company)
        .annotate(shortlist_count=Count("shortlist"))
        .order_by("status", "-created_at")
    )
    return render(request, "searches/brief_list.html", {"company": company, "briefs": briefs})


@login_required
def brief_create(request: AuthedRequest) -> HttpResponse:
    company = selectors.get_company(request.user)
    form = BriefForm(request.POST if request.method == "POST" else None)
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
    form = BriefForm(request.POST if request.method == "POST" else None, instance=brief)
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
    brief = selectors.get_brief_for_user(request.user, pk)
    skills = selectors.brief_skills(brief)
    criteria = selectors.criteria_from_brief(brief, skills)
    context = {
        "brief": brief,
        "must": [s for s in skills if s.kind == BriefSkill.Kind.MUST],
        "nice": [s for s in skills if s.kind == BriefSkill.Kind.NICE],
        "budget_usd": criteria.max_rate_usd,
        "summary": stats.rate_summary(criteria, brief.company),
        "shortlist_count": brief.shortlist.count(),
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
        return _problem(request, "Choose open, paused or closed for the brief.", back)
    services.brief_set_status(brief=brief, status=status)
    messages.success(request, f"The brief is now {brief.get_status_display().lower()}.")
    return redirect("searches:brief_detail", pk=brief.pk)


@dataclass
class Comparison:
    entry: ShortlistEntry
    overlap: float
    must_years: list[tuple[BriefSkill, Decimal | None]]
    note_form: NoteForm


@login_required
def shortlist(request: AuthedRequest, pk: int) -> HttpResponse:
    """The brief's shortlisted engineers side by side."""
    brief = selectors.get_brief_for_user(request.user, pk)
    company = brief.company
    must = [s for s in selectors.brief_skills(brief) if s.kind == BriefSkill.Kind.MUST]
    entries = (
        brief.shortlist.filter(profile__in=Profile.objects.visible_to(company))
        .select_related("profile__user")
        .prefetch_related(
            Prefetch(
                "profile__skills",
                queryset=ProfileSkill.objects.filter(skill_id__in=[s.skill_id for s in must]),
                to_attr="must_entries",
            )
        )
    )
    rows = []
    for entry in entries:
        profile = entry.profile
        years = {ps.skill_id: ps.years for ps in profile.must_entries}  # type: ignore[attr-defined]
        rows.append(
            Comparison(
                entry=entry,
                overlap=overlap_hours(
                    profile.time_zone,
                    profile.work_starts,
                    profile.work_ends,
                    company.time_zone,
                    company.work_starts,
                    company.work_ends,
                ),
                must_years=[(s, years.get(s.skill_id)) for s in must],
                note_form=NoteForm(initial={"note": entry.note}, auto_id=f"note-{profile.pk}-%s"),
            )
        )
    context = {"brief": brief, "company": company, "must": must, "rows": rows}
    return render(request, "searches/shortlist.html", context)


@login_required
@require_POST
def shortlist_toggle(request: AuthedRequest, pk: int, profile_pk: int) -> HttpResponse:
    """Adds (action=add) or removes (action=remove) an engineer; htmx gets the button back."""
    brief = selectors.get_brief_for_user(request.user, pk)
    action = request.POST.get("action", "add")
    profile = (
        Profile.objects.visible_to(brief.company).select_related("user").filter(pk=profile_pk)
    ).first()
    if action == "remove":
        services.shortlist_remove(brief=brief, profile_id=profile_pk)
        shortlisted = False
    elif action == "add":
        if profile is None:
            raise Http404("No such engineer.")
        services.shortlist_add(brief=brief, profile=profile, user=request.user)
        shortlisted = True
    else:
        back = reverse("searches:shortlist", args=[brief.pk])
        return _problem(request, "Choose to add the engineer or to remove them.", back)
    fallback = reverse("searches:shortlist", args=[brief.pk])
    if request.htmx and profile is not None:
        context = {
            "brief": brief,
            "profile": profile,
            "shortlisted": shortlisted,
            "next": _safe_next(request, fallback),
        }
        if request.POST.get("show_count"):  # the results page's link to the shortlist
            context["oob_count"] = brief.shortlist.count()
        return render(request, "searches/_shortlist_toggle.html", context)
    if request.htmx:  # an engineer no longer listed: there is no button to show again
        return _problem(request, "Taken off the shortlist.", fallback, status=200)
    name = profile.user.display_name if profile else "The engineer"
    if shortlisted:
        messages.success(request, f"{name} is on the shortlist for “{brief.title}”.")
    else:
        messages.success(request, f"{name} is off the shortlist for “{brief.title}”.")
    return redirect(_safe_next(request, fallback))


@login_required
@require_POST
def shortlist_note(request: AuthedRequest, pk: int, profile_pk: int) -> HttpResponse:
    """Saves the team's private note on a shortlisted engineer."""
    brief = selectors.get_brief_for_user(request.user, pk)
    entry = get_object_or_404(ShortlistEntry, brief=brief, profile_id=profile_pk)
    form = NoteForm(request.POST)
    back = reverse("searches:shortlist", args=[brief.pk])
    if not form.is_valid():
        limit = NoteForm.base_fields["note"].max_length  # type: ignore[attr-defined]
        message = f"The note is too long: keep it to {limit} characters. Nothing was saved."
        return _problem(request, message, back)
    services.shortlist_note(entry=entry, note=form.cleaned_data["note"])
    if request.htmx:
        return _problem(request, "Note saved.", back, status=200)
    messages.success(request, "Note saved.")
    return redirect(back)
