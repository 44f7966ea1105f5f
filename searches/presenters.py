"""How search pages show engineers: result cards with their reasons, comparison rows,
and the cache keys of the rendered results. The views stay short; this is the part
that knows what a card says."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import Company
from accounts.money import format_money
from candidates.hours import overlap_hours
from candidates.models import Profile, ProfileSkill, Skill
from candidates.selectors import skill_taxonomy
from searches import engine, selectors
from searches.forms import NoteForm
from searches.models import Brief, BriefSkill, ShortlistEntry


def _escape(value: object) -> str:
    """django.utils.html.escape's text (html.escape of str(value)) without its wrapper
    for lazy strings: the cards and the sidebar call it hundreds of times a page."""
    return html.escape(str(value))


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
    score: int | None  # None when the search asked for nothing to score against
    reasons: list[Reason]
    headline: SafeString | str
    snippet: SafeString | str
    shortlisted: bool

    @property
    def skills_html(self) -> SafeString:
        tags = "".join(f'<li class="tag">{_escape(n)} {_escape(y)}</li>' for n, y in self.skills)
        return mark_safe(tags)  # noqa: S308 - escaped here

    @property
    def reasons_html(self) -> SafeString:
        items = "".join(
            f'<li class="reason--{"good" if r.good else "miss"}"><span aria-hidden="true">'
            f"{'✓' if r.good else '✗'}</span> {_escape(r.text)}</li>"
            for r in self.reasons
        )
        return mark_safe(items)  # noqa: S308 - escaped here

    @property
    def rate(self) -> str:
        profile = self.profile
        parts = []
        if profile.hourly_rate_usd:
            parts.append(format_money(profile.hourly_rate_usd, "USD/hour"))
        if profile.monthly_rate_pkr:
            parts.append(format_money(profile.monthly_rate_pkr, "PKR/month"))
        return " · ".join(parts) or "Not stated"

    @property
    def experience(self) -> str:
        profile = self.profile
        years = "?" if profile.years_experience is None else profile.years_experience
        seniority = f" · {profile.get_seniority_display()}" if profile.seniority else ""
        return f"{years} years{seniority}"


def reasons(
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
        on=timezone.localdate(),
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


def skill_tags(
    profile: Profile, names: dict[int, str], asked: Sequence[int] = (), limit: int = 8
) -> list[tuple[str, str]]:
    """(name, years) of the skills a card shows, read from the profile's search columns:
    the skills the search asked for first, in the order asked (must-haves, then
    nice-to-haves), then the longest-used of the rest."""
    years = dict.fromkeys(profile.skill_ids, 0)
    for token in profile.skill_levels:
        skill_id, whole_years = divmod(token, 100)
        years[skill_id] = max(years.get(skill_id, 0), whole_years)
    place = {skill_id: n for n, skill_id in enumerate(dict.fromkeys(asked))}
    ranked = sorted(
        years.items(),
        key=lambda item: (place.get(item[0], len(place)), -item[1], names.get(item[0], "")),
    )
    return [(names.get(skill_id, "?"), f"{n}y" if n else "<1y") for skill_id, n in ranked[:limit]]


def asked_anything(criteria: engine.Criteria) -> bool:
    """Whether the search asked for something a score can measure. Without that every
    engineer would score near the top, and a "100 match" would say nothing."""
    return bool(
        criteria.must
        or criteria.nice
        or criteria.min_years is not None
        or criteria.seniority
        or criteria.engagement
        or criteria.hours_per_week is not None
        or criteria.max_rate_usd is not None
        or criteria.available_by is not None
        or criteria.min_overlap_hours is not None
        or criteria.text.strip()
    )


def skill_groups(taxonomy: list[dict[str, Any]]) -> list[tuple[str, list[tuple[str, str]]]]:
    labels = dict(Skill.Category.choices)
    groups: dict[str, list[tuple[str, str]]] = {}
    for skill in taxonomy:
        groups.setdefault(labels.get(skill["category"], "Other"), []).append(
            (skill["slug"], skill["name"])
        )
    return list(groups.items())


# The filter's skill list written once per taxonomy: (slug, the option unselected,
# selected), with None for the optgroup tags between them.
_skill_options: dict[str, list[tuple[str | None, str, str]]] = {}


def skill_options_html(taxonomy: list[dict[str, Any]], chosen: set[str]) -> SafeString:
    """The <optgroup>s and <option>s of the filter's skill list, ``chosen`` selected."""
    key = engine.cache_key("skill-options", taxonomy_stamp(taxonomy), sorted(Skill.Category))
    parts = _skill_options.get(key)
    if parts is None:
        parts = []
        for group, options in skill_groups(taxonomy):
            parts.append((None, f'<optgroup label="{_escape(group)}">', ""))
            for slug, name in options:
                value, text = _escape(slug), _escape(name)
                parts.append(
                    (
                        slug,
                        f'<option value="{value}">{text}</option>',
                        f'<option value="{value}" selected>{text}</option>',
                    )
                )
            parts.append((None, "</optgroup>", ""))
        _skill_options.clear()  # one taxonomy at a time
        _skill_options[key] = parts
    html = "".join(selected if slug in chosen else plain for slug, plain, selected in parts)
    return mark_safe(html)  # noqa: S308 - escaped above


class SidebarFields:
    """The filter sidebar's fields as HTML, each written on first use by field_html():
    ``{{ fields.q }}`` in the template stands for includes/field.html with
    no_optional=True, at a fraction of the cost (see bench/README.md)."""

    def __init__(self, form: Any) -> None:
        self.form = form

    def __getitem__(self, name: str) -> SafeString:
        return field_html(self.form[name])


# Django's input widgets whose templates only include input.html.
_INPUTS = {
    f"django/forms/widgets/{kind}.html"
    for kind in ("input", "text", "number", "date", "email", "url", "search", "tel")
}
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def field_html(field: Any) -> SafeString:
    """One bound field as includes/field.html writes it with no_optional=True, in
    Python for inputs and selects (Django renders each widget, and each option of a
    select, through a template). Other widgets and hidden fields go through the
    template itself. tests/searches/test_sidebar_fields.py compares the two for every
    sidebar field, valid, invalid and empty."""
    widget = field.field.widget
    select = widget.template_name == _SELECT
    known = widget.template_name in _INPUTS or (
        select and getattr(widget, "option_template_name", None) == _OPTION
    )
    if field.is_hidden or not known or field.use_fieldset:
        from django.template.loader import render_to_string

        return render_to_string("includes/field.html", {"field": field, "no_optional": True})
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts = [
        '<div class="field">\n  <label class="field__label" for="',
        _escape(field.id_for_label),
        '">',
        conditional_escape(field.label),
        "</label>\n  ",
        _select_html(context) if select else _input_html(context),
        "\n",
    ]
    if field.help_text:
        help_id = f"{_escape(field.auto_id)}_helptext"
        parts.append(f'  <div class="field__help" id="{help_id}">{field.help_text}</div>\n')
    if field.errors:
        items = "".join(f"<li>{conditional_escape(error)}</li>" for error in field.errors)
        parts.append(
            f'  <ul class="field__errors" id="{_escape(field.auto_id)}_error">{items}</ul>\n'
        )
    parts.append("</div>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


def _attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input_html(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_escape(str(widget["value"]))}"'
    return (
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
        f"{value}{_attrs_html(widget['attrs'])}>"
    )


def _select_html(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_escape(str(option["value"]))}"'
                f"{_attrs_html(option['attrs'])}>{_escape(option['label'])}</option>"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def results(
    page: engine.Page,
    criteria: engine.Criteria,
    company: Company,
    brief: Brief | None,
    taxonomy: list[dict[str, Any]] | None = None,
) -> list[Result]:
    """The page's cards. ``taxonomy``: skill_taxonomy(), where the caller has read it."""
    profiles = page.results
    names = {s["id"]: s["name"] for s in taxonomy or skill_taxonomy()}
    asked = [must.skill_id for must in criteria.must] + list(criteria.nice)
    scored = asked_anything(criteria)
    results = []
    for profile in profiles:
        headline = getattr(profile, "headline_hit", None)
        snippet = getattr(profile, "bio_hit", None) or ""
        if criteria.text and engine.START not in snippet:
            snippet = getattr(profile, "portfolio_hit", "") or snippet
        results.append(
            Result(
                profile=profile,
                skills=skill_tags(profile, names, asked),
                score=round(getattr(profile, "score", 0)) if scored else None,
                reasons=reasons(profile, criteria, company, names),
                headline=engine.highlight(headline) if headline else profile.headline,
                snippet=engine.highlight(snippet) if criteria.text and snippet else "",
                shortlisted=getattr(profile, "shortlisted", False),
            )
        )
    return results


def taxonomy_stamp(taxonomy: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """What of the skill taxonomy a rendered search page shows: part of its cache keys."""
    return [(s["id"], s["name"], s["slug"]) for s in taxonomy]


def filters_cache_key(full_path: str, taxonomy: list[dict[str, Any]], prefill: Any = None) -> str:
    """The filter sidebar depends only on the URL, the taxonomy and, on a brief's
    results without filters of their own, the brief's criteria it starts from."""
    return engine.cache_key("filters", full_path, taxonomy_stamp(taxonomy), prefill)


def results_cache_key(
    *,
    full_path: str,
    brief: Brief | None,
    page: engine.Page,
    stamps: list[tuple[Any, ...]],
    taxonomy: list[dict[str, Any]],
) -> str:
    """The results, keyed by everything the cards show, read fresh for this request:
    each engineer's stamp (engine.stamps: profile version, name, shortlist state,
    score), and today's date (overlap and availability are for today)."""
    return engine.cache_key(
        "results",
        page.ranking_key,  # the criteria, company and listing generation included
        full_path,
        brief and (brief.pk, brief.title),
        timezone.localdate(),
        taxonomy_stamp(taxonomy),
        stamps,
    )


@dataclass
class Comparison:
    entry: ShortlistEntry
    overlap: float
    must_years: list[tuple[BriefSkill, Decimal | None]]
    note_form: NoteForm


def comparison_rows(brief: Brief, must: list[BriefSkill]) -> list[Comparison]:
    """The brief's shortlisted engineers still listed for its company, with what a
    side-by-side comparison shows of each, in a fixed number of queries."""
    company = brief.company
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
                    on=timezone.localdate(),
                ),
                must_years=[(s, years.get(s.skill_id)) for s in must],
                note_form=NoteForm(initial={"note": entry.note}, auto_id=f"note-{profile.pk}-%s"),
            )
        )
    return rows


# Panels that searches adds to lower apps' pages (registered in SearchesConfig.ready).


def dashboard_panel(request: HttpRequest, *, company: Company, **page: Any) -> dict[str, Any]:
    """The employer dashboard's "Your hiring work": the company's latest briefs."""
    briefs = selectors.company_briefs(company)[: selectors.DASHBOARD_BRIEFS]
    return {"briefs": briefs, "dashboard_briefs": selectors.DASHBOARD_BRIEFS}


def profile_shortlist_panel(
    request: HttpRequest, *, profile: Profile, company: Company | None, preview: bool, **page: Any
) -> dict[str, Any] | None:
    """A profile page's "Shortlist for a brief", for the employers who see it."""
    if company is None or preview:
        return None
    return {"profile": profile, "shortlist_briefs": selectors.open_briefs_for(profile, company)}


# Results cards, written without the template engine: twenty cards of a results page
# cost the engine about as much as the search itself (bench/README.md). Each value is
# escaped here. The two buttons are the markup of searches/_shortlist_toggle.html and
# screening/_add_button.html, which the other pages include:
# tests/searches/test_result_cards.py renders both ways and compares them.

# A placeholder id, replaced in URLs reversed once per page: the largest bigint, which
# no brief's id reaches before the table is full.
_PK = 9_223_372_036_854_775_807


def _url_pattern(name: str, *args: int) -> str:
    return reverse(name, args=[*args, _PK])


def card_html(
    result: Result, *, brief: Brief | None, detail_url: str, toggle_url: str, add_url: str
) -> str:
    """One results card (``*_url`` carry _PK where the profile's id goes)."""
    profile = result.profile
    pk = str(profile.pk)
    name = _escape(profile.user.display_name)
    parts = [
        f'<article class="card result" aria-labelledby="result-{pk}">'
        '<div class="result__head"><div>'
        f'<h3 id="result-{pk}" class="result__name">'
        f'<a href="{detail_url.replace(str(_PK), pk)}">{name}</a></h3>'
        f'<p class="result__headline">{conditional_escape(result.headline)}</p></div>'
    ]
    if result.score is not None:
        parts.append(
            f'<div class="score" aria-label="Match score {result.score} out of 100">'
            f'<span class="score__value">{result.score}</span>'
            '<span class="score__label">match</span></div>'
        )
    parts.append("</div>")
    if result.snippet:
        snippet = conditional_escape(result.snippet)
        parts.append(f'<p class="result__snippet small">…{snippet}…</p>')
    parts.append(
        '<dl class="result__facts small">'
        f"<div><dt>Rate</dt><dd>{_escape(result.rate)}</dd></div>"
        f"<div><dt>Experience</dt><dd>{_escape(result.experience)}</dd></div>"
        f"<div><dt>Based in</dt><dd>{_escape(profile.city)}</dd></div></dl>"
        f'<ul class="tags" aria-label="Skills">{result.skills_html}</ul>'
        '<details class="reasons"><summary>'
        f"{'How they fit' if result.score is None else 'Why this score'}</summary>"
        f"<ul>{result.reasons_html}</ul></details>"
    )
    if brief is not None:
        on = result.shortlisted
        toggle = toggle_url.replace(str(_PK), pk)
        add = add_url
        for_whom = f"{name} for {_escape(brief.title)}"
        parts.append(
            '<div class="result__actions">'
            f'<button type="submit" form="shortlist-form" formaction="{toggle}" name="action" '
            f'value="{"remove" if on else "add"}" class="button button--small shortlist-toggle'
            f'{" button--secondary" if on else ""}" aria-pressed="{"true" if on else "false"}" '
            f'hx-post="{toggle}" hx-include="#shortlist-form" hx-target="this" '
            f'hx-swap="outerHTML">{"Shortlisted ✓ Remove" if on else "Shortlist"}'
            f'<span class="visually-hidden"> {for_whom}</span></button> '
            f'<button type="submit" form="pipeline-form" formaction="{add}" name="profile" '
            f'value="{pk}" class="button button--small button--secondary pipeline-add" '
            f'hx-post="{add}" hx-include="#pipeline-form" hx-target="this" '
            f'hx-swap="outerHTML">Add to pipeline<span class="visually-hidden">: {for_whom}'
            "</span></button></div>"
        )
    parts.append("</article>")
    return "".join(parts)


def cards_html(results: list[Result], brief: Brief | None) -> SafeString:
    """Every card of a results page, in order."""
    detail_url = _url_pattern("candidates:detail")
    toggle_url = _url_pattern("searches:shortlist_toggle", brief.pk) if brief else ""
    add_url = reverse("screening:add", args=[brief.pk]) if brief else ""
    return mark_safe(  # noqa: S308 - every value above is escaped
        "\n".join(
            card_html(r, brief=brief, detail_url=detail_url, toggle_url=toggle_url, add_url=add_url)
            for r in results
        )
    )
