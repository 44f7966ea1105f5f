"""Profile pages. Engineers edit their own; employers see listed profiles only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.models import User
from candidates import selectors
from candidates.hours import local_time, overlap_hours
from candidates.models import Profile


class AuthedRequest(HttpRequest):
    user: User


def _profile_page(
    request: HttpRequest, profile: Profile, company, *, preview: bool
) -> HttpResponse:  # type: ignore[no-untyped-def]
    overlap = None
    if company is not None:
        overlap = overlap_hours(
            profile.time_zone,
            profile.work_starts,
            profile.work_ends,
            company.time_zone,
            company.work_starts,
            company.work_ends,
        )
    context = {
        "profile": profile,
        "company": company,
        "preview": preview,
        "local_time": local_time(profile.time_zone),
        "overlap": overlap,
        "show_contact": not preview and selectors.contact_visible(profile, company),
        "today": timezone.localdate(),
    }
    return render(request, "candidates/profile_detail.html", context)


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The profile as an employer sees it (404 unless listed and not blocking them)."""
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
    profile = Profile.objects.select_related("user").filter(pk=pk).first()
    if profile is None or not selectors.can_download_resume(request.user, profile):
        raise Http404("No resume to show.")
    name = f"{profile.user.display_name} resume.pdf".replace("/", "-")
    response = FileResponse(
        profile.resume.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
