from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import registry, selectors, services
from accounts.forms import INVITATION_SESSION_KEY, CompanyForm, InvitationForm, WorkingHoursForm
from accounts.limits import LimitExceeded
from accounts.models import Membership
from accounts.web import AuthedRequest, posted


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """Send each person to the page that matters to them."""
    if request.user.is_staff:
        return redirect("admin:index")
    if request.user.is_employer:
        return redirect("accounts:dashboard")
    return redirect("candidates:me")


def _dashboard_page(
    request: AuthedRequest,
    membership: Membership,
    invite_form: InvitationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The dashboard, whether asked for or shown again with the invitation form's errors."""
    company = membership.company
    context = {
        "membership": membership,
        "company": company,
        "members": company.memberships.select_related("user").order_by("joined_at"),
        "invitations": company.invitations.pending().order_by("-created_at"),
        "invite_form": invite_form or InvitationForm(),
        # Higher apps' sections (searches: the company's briefs).
        "panels": registry.panels_render(
            "dashboard", request, company=company, membership=membership
        ),
    }
    return render(request, "accounts/dashboard.html", context, status=status)


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    try:
        membership = selectors.get_membership(request.user)
    except selectors.NoCompany:
        return redirect("accounts:company_create")
    return _dashboard_page(request, membership)


@login_required
def company_create(request: AuthedRequest) -> HttpResponse:
    """For an employer without a company, e.g. one whose invitation was withdrawn."""
    selectors.require_employer(request.user)
    if selectors.company_of(request.user) is not None:
        return redirect("accounts:dashboard")
    form = CompanyForm(posted(request))
    context = {"form": form, "creating": True}
    if request.method == "POST":
        if form.is_valid():
            services.company_create(owner=request.user, **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['name']} is set up.")
            return redirect("accounts:dashboard")
        return render(request, "accounts/company_form.html", context, status=400)
    return render(request, "accounts/company_form.html", context)


@login_required
def company_edit(request: AuthedRequest) -> HttpResponse:
    company = selectors.get_company_for_owner(request.user)
    form = CompanyForm(posted(request), instance=company)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Company details saved.")
            return redirect("accounts:dashboard")
        return render(request, "accounts/company_form.html", {"form": form}, status=400)
    return render(request, "accounts/company_form.html", {"form": form})


@login_required
def working_hours(request: AuthedRequest) -> HttpResponse:
    """A teammate's own working day (zone, hours, weekend); empty parts are the company's.
    Interviews are offered only inside every interviewer's working day."""
    membership = selectors.get_membership(request.user)
    form = WorkingHoursForm(posted(request), instance=membership)
    context = {"form": form, "company": membership.company}
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your working hours are saved.")
            return redirect("accounts:dashboard")
        return render(request, "accounts/working_hours.html", context, status=400)
    return render(request, "accounts/working_hours.html", context)


@login_required
@require_POST
def invitation_create(request: AuthedRequest) -> HttpResponse:
    company = selectors.get_company_for_owner(request.user)
    form = InvitationForm(request.POST)
    refused: LimitExceeded | None = None
    if form.is_valid():
        try:
            services.invitation_send(
                company=company,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except services.InvitationError as exc:
            form.add_error("email", str(exc))
        except LimitExceeded as exc:
            form.add_error("email", str(exc))
            refused = exc
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect("accounts:dashboard")
    membership = selectors.get_membership(request.user)
    response = _dashboard_page(
        request, membership, invite_form=form, status=429 if refused else 400
    )
    if refused:
        response["Retry-After"] = str(refused.retry_after)
    return response


@login_required
@require_POST
def invitation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = selectors.get_invitation_for_owner(request.user, pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("accounts:dashboard")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link lands: explain it, then let the right person join."""
    invitation = selectors.get_invitation_by_token(token)
    user = request.user if request.user.is_authenticated else None
    try:
        services.invitation_check(invitation=invitation, user=user)
        if request.method == "POST" and user is not None:
            services.invitation_accept(token=token, user=user)
            request.session.pop(INVITATION_SESSION_KEY, None)
            messages.success(request, f"Welcome to {invitation.company.name}.")
            return redirect("accounts:dashboard")
    except services.InvitationError as exc:
        request.session.pop(INVITATION_SESSION_KEY, None)
        context = {"invitation": invitation, "error": str(exc)}
        return render(request, "accounts/invitation.html", context, status=exc.status)
    if user is None:
        # Remembered so that sign-up skips the company questions and login comes back here.
        request.session[INVITATION_SESSION_KEY] = token
    return render(request, "accounts/invitation.html", {"invitation": invitation, "error": None})
