"""Profile pages. Engineers edit their own; employers see listed profiles only."""

from __future__ import annotations

import json
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts import registry
from accounts import services as account_services
from accounts.models import Company
from accounts.replicas import replica_reads
from accounts.web import AuthedRequest, posted, posted_files, reply_changed
from candidates import forms, selectors, services
from candidates.hours import local_time, overlap_hours
from candidates.listing import listing_changed
from candidates.models import Profile


def _profile_page(
    request: HttpRequest, profile: Profile, company: Company | None, *, preview: bool
) -> HttpResponse:
    overlap = None
    if company is not None:
        overlap = overlap_hours(
            profile.time_zone,
            profile.work_starts,
            profile.work_ends,
            company.time_zone,
            company.work_starts,
            company.work_ends,
            on=timezone.localdate(),
        )
    context = {
        "profile": profile,
        "company": company,
        "preview": preview,
        "local_time": local_time(profile.time_zone),
        "overlap": overlap,
        "show_contact": not preview and selectors.contact_visible(profile, company),
        "today": timezone.localdate(),
        # Higher apps' boxes for this page (searches: shortlist for a brief).
        "panels": registry.panels_render(
            "profile", request, profile=profile, company=company, preview=preview
        ),
        # In place of the "Reviews" placeholder (hiring: published contract reviews).
        "review_panels": registry.panels_render(
            "profile_reviews", request, profile=profile, company=company, preview=preview
        ),
    }
    return render(request, "candidates/profile_detail.html", context)


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The profile as an employer sees it (404 unless listed and not blocking them)."""
    with replica_reads():  # a read replica's, when there are any (accounts/replicas.py)
        profile, company = selectors.get_profile_for_viewer(request.user, pk)
    return _profile_page(request, profile, company, preview=False)


@login_required
def preview(request: AuthedRequest) -> HttpResponse:
    """The engineer's own profile, exactly as employers will see it, without contact details."""
    own = selectors.get_own_profile(request.user)
    profile = selectors.profile_page_queryset().get(pk=own.pk)
    return _profile_page(request, profile, None, preview=True)


@login_required
def resume_download(request: AuthedRequest, pk: int) -> FileResponse:
    profile = selectors.get_resume_for_user(request.user, pk)
    name = f"{profile.user.display_name} resume.pdf".replace("/", "-")
    response = FileResponse(
        profile.resume.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The engineer's own profile. Every view below starts from selectors.get_own_profile,
# which refuses anyone but an engineer (403); ids in URLs are looked up inside that
# profile only, so another engineer's rows answer 404.


def _home_page(
    request: HttpRequest,
    profile: Profile,
    *,
    error: str = "",
    error_title: str = "Nothing was changed",
    status: int = 200,
) -> HttpResponse:
    profile = selectors.profile_page_queryset().get(pk=profile.pk)
    context = {
        "profile": profile,
        "completeness": selectors.completeness(profile),
        "missing": selectors.missing_for_submission(profile) if profile.can_submit else [],
        "blocked_count": profile.company_blocks.count(),
        "error": error,
        "error_title": error_title,
        # Higher apps' sections of the engineer's home (hiring: contracts in progress).
        "panels": registry.panels_render("engineer_home", request, profile=profile),
    }
    return render(request, "candidates/me.html", context, status=status)


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    """The engineer's profile home: where it stands, what to add next, every section."""
    return _home_page(request, selectors.get_own_profile(request.user))


@login_required
@require_POST
def submit(request: AuthedRequest) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    try:
        services.profile_submit(profile=profile)
    except services.ProfileError as exc:
        title = "Your profile was not sent for review"
        return _home_page(request, profile, error=str(exc), error_title=title, status=400)
    messages.success(
        request, "Your profile is with Karigar staff for review. We'll email you when they reply."
    )
    return redirect("candidates:me")


@login_required
@require_POST
def visibility(request: AuthedRequest) -> HttpResponse:
    """Pause or resume the listing: a paused profile is hidden from every company."""
    profile = selectors.get_own_profile(request.user)
    action = request.POST.get("action")
    if action == "pause":
        services.profile_pause(profile=profile)
        messages.success(request, "Listing paused. Companies can't find your profile now.")
    elif action == "resume":
        services.profile_resume(profile=profile)
        messages.success(request, "Listing resumed. Your availability is set to 'Available now'.")
    else:
        error = "Choose whether to pause or resume your listing."
        return _home_page(request, profile, error=error, status=400)
    return redirect("candidates:me")


@login_required
def about(request: AuthedRequest) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    form = forms.AboutForm(posted(request), instance=profile)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            if "availability" in form.changed_data:  # "not looking" hides the profile
                listing_changed()
            messages.success(request, "Your details are saved.")
            if request.POST.get("then") == "skills":  # "Save and continue"
                return redirect("candidates:skills")
            return redirect("candidates:me")
        return render(request, "candidates/about.html", {"form": form}, status=400)
    return render(request, "candidates/about.html", {"form": form})


def _skills_page(
    request: AuthedRequest,
    profile: Profile,
    form: forms.SkillForm | None = None,
    *,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    """The skills page, or only its list and form when htmx asks."""
    context = {
        "entries": profile.skills.select_related("skill"),
        "form": form or forms.SkillForm(profile=profile),
        "notice": notice,
    }
    template = "candidates/skills.html" + ("#skill-list" if request.htmx else "")
    return render(request, template, context, status=status)


@login_required
def skills(request: AuthedRequest) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    form = forms.SkillForm(posted(request), profile=profile)
    if request.method != "POST":
        return _skills_page(request, profile, form)
    if not form.is_valid():
        return _skills_page(request, profile, form, status=400)
    skill = form.cleaned_data["skill"]
    known = profile.skills.filter(skill=skill).exists()
    services.skill_set(
        profile=profile,
        skill=skill,
        years=form.cleaned_data["years"],
        level=form.cleaned_data["level"],
    )
    notice = f"{skill.name} {'updated' if known else 'added'}."
    fragment = partial(_skills_page, request, profile)
    return reply_changed(request, notice=notice, redirect_to="candidates:skills", fragment=fragment)


@login_required
@require_POST
def skill_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    entry = selectors.get_own_skill(profile, pk)
    services.skill_remove(profile=profile, entry_id=entry.pk)
    notice = f"{entry.skill.name} removed."
    fragment = partial(_skills_page, request, profile)
    return reply_changed(request, notice=notice, redirect_to="candidates:skills", fragment=fragment)


def _portfolio_page(
    request: AuthedRequest,
    profile: Profile,
    form: forms.PortfolioForm | None = None,
    *,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    """The portfolio page, or only its list and form when htmx asks."""
    context = {
        "items": profile.portfolio.prefetch_related("skills"),
        "form": form or forms.PortfolioForm(),
        "notice": notice,
    }
    template = "candidates/portfolio.html" + ("#portfolio-list" if request.htmx else "")
    return render(request, template, context, status=status)


@login_required
def portfolio(request: AuthedRequest) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    form = forms.PortfolioForm(posted(request))
    if request.method != "POST":
        return _portfolio_page(request, profile, form)
    if not form.is_valid():
        return _portfolio_page(request, profile, form, status=400)
    item = services.portfolio_save(
        profile=profile, item=form.save(commit=False), skills=list(form.cleaned_data["skills"])
    )
    fragment = partial(_portfolio_page, request, profile)
    return reply_changed(
        request,
        notice=f"“{item.title}” added.",
        redirect_to="candidates:portfolio",
        fragment=fragment,
    )


@login_required
def portfolio_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    item = selectors.get_own_portfolio_item(profile, pk)
    form = forms.PortfolioForm(posted(request), instance=item)
    context = {"title": item.title, "form": form}  # the title as saved, before validation
    if request.method != "POST":
        return render(request, "candidates/portfolio_edit.html", context)
    if not form.is_valid():
        return render(request, "candidates/portfolio_edit.html", context, status=400)
    services.portfolio_save(
        profile=profile, item=form.save(commit=False), skills=list(form.cleaned_data["skills"])
    )
    messages.success(request, f"“{item.title}” saved.")
    return redirect("candidates:portfolio")


@login_required
@require_POST
def portfolio_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    item = selectors.get_own_portfolio_item(profile, pk)
    services.portfolio_remove(profile=profile, item_id=item.pk)
    fragment = partial(_portfolio_page, request, profile)
    return reply_changed(
        request,
        notice=f"“{item.title}” removed.",
        redirect_to="candidates:portfolio",
        fragment=fragment,
    )


@login_required
def experience(request: AuthedRequest) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    form = forms.JobForm(posted(request))
    if request.method == "POST" and form.is_valid():
        job = services.job_save(profile=profile, job=form.save(commit=False))
        messages.success(request, f"{job.title} at {job.employer} added.")
        return redirect("candidates:experience")
    context = {"jobs": profile.jobs.all(), "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "candidates/experience.html", context, status=status)


@login_required
def job_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    job = selectors.get_own_job(profile, pk)
    form = forms.JobForm(posted(request), instance=job)
    context = {"name": str(job), "form": form}  # the name as saved, before validation
    if request.method == "POST" and form.is_valid():
        job = services.job_save(profile=profile, job=form.save(commit=False))
        messages.success(request, f"{job} saved.")
        return redirect("candidates:experience")
    status = 400 if request.method == "POST" else 200
    return render(request, "candidates/job_edit.html", context, status=status)


@login_required
@require_POST
def job_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    job = selectors.get_own_job(profile, pk)
    services.job_remove(profile=profile, job_id=job.pk)
    messages.success(request, f"{job} removed from your work history.")
    return redirect("candidates:experience")


@login_required
def resume(request: AuthedRequest) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    form = forms.ResumeForm(posted(request), posted_files(request))
    if request.method == "POST" and form.is_valid():
        replacing = bool(profile.resume)
        services.resume_replace(profile=profile, upload=form.cleaned_data["resume"])
        messages.success(request, "Resume replaced." if replacing else "Resume uploaded.")
        return redirect("candidates:resume")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "candidates/resume.html", {"profile": profile, "form": form}, status=status
    )


@login_required
@require_POST
def resume_remove(request: AuthedRequest) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    services.resume_remove(profile=profile)
    messages.success(request, "Resume removed. No company can download it now.")
    return redirect("candidates:resume")


# The same answer whether or not a company matches: it must not reveal who uses Karigar.
BLOCK_DONE = {
    "name": "If a company called “{}” uses Karigar, it can no longer find or open your "
    "profile; nor can any company that takes the name later.",
    "domain": "Companies with anyone using an @{} email address can no longer find or open "
    "your profile, including people who join them later.",
}


@login_required
def blocked(request: AuthedRequest) -> HttpResponse:
    """Hide the profile from companies by name or by email domain, e.g. an employer's."""
    profile = selectors.get_own_profile(request.user)
    kind = request.POST.get("kind", "") if request.method == "POST" else ""
    name_form = forms.BlockNameForm(request.POST if kind == "name" else None)
    domain_form = forms.BlockDomainForm(request.POST if kind == "domain" else None)
    form = {"name": name_form, "domain": domain_form}.get(kind)
    if form is not None and form.is_valid():
        value = form.cleaned_data[kind]
        services.company_block(profile=profile, kind=kind, value=value)
        messages.success(request, BLOCK_DONE[kind].format(value))
        return redirect("candidates:blocked")
    context = {
        "blocks": profile.company_blocks.order_by("kind", "label"),
        "name_form": name_form,
        "domain_form": domain_form,
        "unknown_kind": request.method == "POST" and form is None,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "candidates/blocked.html", context, status=status)


@login_required
@require_POST
def unblock(request: AuthedRequest, block_id: int) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    block = get_object_or_404(profile.company_blocks, pk=block_id)
    services.company_unblock(profile=profile, block_id=block.pk)
    messages.success(
        request, f"“{block.label}” is no longer blocked. Your other blocks still apply."
    )
    return redirect("candidates:blocked")


@login_required
@require_GET
def access(request: AuthedRequest) -> HttpResponse:
    """The companies that can see the engineer's email, phone and resume, and why."""
    profile = selectors.get_own_profile(request.user)
    consents = profile.consents.select_related("company").order_by("-granted_at")
    return render(request, "candidates/access.html", {"consents": consents})


@login_required
@require_POST
def access_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    profile = selectors.get_own_profile(request.user)
    consent = get_object_or_404(profile.consents.select_related("company"), pk=pk)
    services.consent_withdraw(profile=profile, company_id=consent.company_id)
    messages.success(
        request,
        f"{consent.company.name} can no longer see your email, phone or resume. "
        "Messages you already exchanged stay in your conversation.",
    )
    return redirect("candidates:access")


@login_required
def export(request: AuthedRequest) -> HttpResponse:
    """Everything Karigar holds about the engineer, as a JSON file to keep."""
    selectors.get_own_profile(request.user)
    data = account_services.account_export(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="karigar-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete(request: AuthedRequest) -> HttpResponse:
    """Erase the account for good, once the engineer confirms with their password."""
    selectors.get_own_profile(request.user)
    form = forms.DeleteAccountForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        account_services.account_delete(request=request, user=request.user)
        messages.success(request, "Your account, profile and resume are erased. Goodbye.")
        return redirect("landing")
    status = 400 if request.method == "POST" else 200
    return render(request, "candidates/delete.html", {"form": form}, status=status)
