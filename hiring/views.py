"""Outreach, opportunities and threads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import now
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts.emails import absolute, render_email
from accounts.errors import Refused
from accounts.limits import LimitExceeded
from accounts.selectors import get_company
from accounts.web import AuthedRequest, posted, reply_changed, reply_message, reply_refused
from candidates import selectors as profile_selectors
from hiring import forms, selectors, services
from hiring.models import Message, MessageTemplate, Outreach, Thread
from screening.models import Candidacy
from screening.selectors import get_candidacy_for_user

# Outreach and opportunities -------------------------------------------------------
# Employers: the outreach form (with templates and a preview) and withdrawing.
# Engineers: the Opportunities list, one opportunity, and its answers. Every view
# starts from a fetch-and-check helper of hiring.selectors.


def _outreach_page(
    request: AuthedRequest,
    candidacy: Candidacy,
    form: forms.OutreachForm,
    *,
    preview: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    templates = list(selectors.company_templates(candidacy.company))
    context = {
        "candidacy": candidacy,
        "brief": candidacy.brief,
        "engineer": candidacy.profile.user,
        "form": form,
        "pick_form": forms.TemplatePickForm(
            initial={"template": request.GET.get("template", "")}, templates=templates
        ),
        "templates": templates,
        "preview": preview,
    }
    return render(request, "hiring/outreach_form.html", context, status=status)


def _preview(candidacy: Candidacy, form: forms.OutreachForm, user: Any) -> dict[str, str]:
    """The email the engineer will get, rendered from the terms as they stand."""
    draft = Outreach(
        company=candidacy.company,
        brief=candidacy.brief,
        profile=candidacy.profile,
        sender=user,
        message=form.cleaned_data["message"].strip(),
        **form.terms,
    )
    context = {
        "outreach": draft,
        "company": candidacy.company,
        "brief": candidacy.brief,
        "engineer": candidacy.profile.user,
        "sender": user,
        "opportunity_url": absolute(reverse("hiring:opportunities")),
    }
    subject, text, _ = render_email("email/outreach", context)
    return {"subject": subject, "text": text}


@login_required
@require_http_methods(["GET", "POST"])
def outreach_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Write the terms and a message to a Sourced engineer, preview the email, send."""
    candidacy = get_candidacy_for_user(request.user, pk)
    back = reverse("screening:candidacy", args=[candidacy.pk])
    refusal = services.outreach_refusal(candidacy)
    if refusal is not None:  # the same answer outreach_send would give
        return reply_refused(request, refusal, back=back)
    if request.method != "POST":
        initial = services.terms_initial(candidacy.brief)
        if request.GET.get("template"):
            template = selectors.get_template_for_user(request.user, request.GET["template"])
            initial["message"] = services.template_render(
                template.body, profile=candidacy.profile, brief=candidacy.brief
            )
        return _outreach_page(request, candidacy, forms.OutreachForm(initial=initial))
    form = forms.OutreachForm(request.POST)
    if not form.is_valid():
        return _outreach_page(request, candidacy, form, status=400)
    if "preview" in request.POST:
        return _outreach_page(
            request, candidacy, form, preview=_preview(candidacy, form, request.user)
        )
    try:
        services.outreach_send(
            candidacy=candidacy,
            sender=request.user,
            terms=form.terms,
            message=form.cleaned_data["message"],
        )
    except LimitExceeded as exc:
        form.add_error(None, str(exc))
        response = _outreach_page(request, candidacy, form, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    messages.success(
        request,
        f"Outreach sent to {candidacy.profile.user.display_name}: they are now in Contacted. "
        "You will get an email when they answer.",
    )
    return redirect(back)


@login_required
@require_POST
def outreach_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take back an outreach nobody has answered yet; the card goes back to Sourced."""
    outreach = selectors.get_outreach_for_company(request.user, pk)
    back = reverse("screening:candidacy", args=[outreach.candidacy_id])
    try:
        services.outreach_withdraw(outreach=outreach, user=request.user)
    except Refused as exc:
        return reply_refused(request, exc, back=back)
    return reply_changed(
        request,
        notice=f"Outreach withdrawn. {outreach.profile.user.display_name} has been told, "
        "and the card is back in Sourced.",
        redirect_to=back,
    )


def _templates_page(
    request: AuthedRequest, form: forms.MessageTemplateForm, status: int = 200
) -> HttpResponse:
    company = form.company
    context = {
        "company": company,
        "templates": selectors.company_templates(company).select_related("created_by"),
        "form": form,
        "placeholders": MessageTemplate.PLACEHOLDERS,
    }
    return render(request, "hiring/template_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def template_list(request: AuthedRequest) -> HttpResponse:
    """The team's message templates, and a form to write a new one."""
    company = get_company(request.user)
    form = forms.MessageTemplateForm(posted(request), company=company)
    if request.method != "POST":
        return _templates_page(request, form)
    if not form.is_valid():
        return _templates_page(request, form, status=400)
    try:
        template = services.message_template_save(
            company=company, user=request.user, **form.cleaned_data
        )
    except Refused as exc:
        form.add_error("name", str(exc))
        return _templates_page(request, form, status=400)
    messages.success(request, f"Template “{template.name}” saved. Your whole team can use it.")
    return redirect("hiring:template_list")


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    template = selectors.get_template_for_user(request.user, pk)
    form = forms.MessageTemplateForm(posted(request), company=template.company, instance=template)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.message_template_save(
                    company=template.company,
                    user=request.user,
                    template=template,
                    **form.cleaned_data,
                )
            except Refused as exc:
                form.add_error("name", str(exc))
            else:
                messages.success(request, f"Template “{template.name}” saved.")
                return redirect("hiring:template_list")
        status = 400
    context = {"template": template, "form": form, "placeholders": MessageTemplate.PLACEHOLDERS}
    return render(request, "hiring/template_edit.html", context, status=status)


@login_required
@require_POST
def template_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    template = selectors.get_template_for_user(request.user, pk)
    name = template.name
    template.delete()
    messages.success(request, f"Template “{name}” deleted. Outreach already sent keeps its text.")
    return redirect("hiring:template_list")


def _require_engineer(request: AuthedRequest) -> None:
    if not request.user.is_engineer:
        raise PermissionDenied("Opportunities are for engineer accounts.")


@login_required
@require_GET
def opportunities(request: AuthedRequest) -> HttpResponse:
    """Every company that reached out to this engineer, newest first."""
    _require_engineer(request)
    rows = selectors.with_asks(list(selectors.engineer_opportunities(request.user)), now())
    return render(request, "hiring/opportunities.html", {"opportunities": rows})


def _opportunity_page(
    request: AuthedRequest, outreach: Outreach, *, status: int = 200, **bound: Any
) -> HttpResponse:
    company_name = outreach.company.name
    context = {
        "outreach": outreach,
        "accept_form": bound.get("accept_form") or forms.AcceptForm(),
        "decline_form": bound.get("decline_form") or forms.DeclineForm(company_name=company_name),
        "reply_form": bound.get("reply_form") or forms.ReplyForm(),
        "step_back_form": bound.get("step_back_form") or forms.NoteForm(),
        "report_form": bound.get("report_form") or forms.NoteForm(prefix="report"),
        "open_form": next(iter(bound), ""),
        "asks": selectors.opportunity_asks(outreach, now()),
    }
    return render(request, "hiring/opportunity.html", context, status=status)


@login_required
@require_GET
def opportunity(request: AuthedRequest, pk: int) -> HttpResponse:
    """One outreach as the engineer sees it: the terms, the message and three answers.
    Opening it marks it seen and the company's thread read."""
    outreach = selectors.get_outreach_for_engineer(request.user, pk)
    services.outreach_mark_seen(outreach=outreach)
    services.thread_mark_read(thread=outreach.thread, side="engineer")
    return _opportunity_page(request, outreach)


def _answered(request: AuthedRequest, outreach: Outreach, notice: str) -> HttpResponse:
    return reply_changed(
        request, notice=notice, redirect_to=reverse("hiring:opportunity", args=[outreach.pk])
    )


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    outreach = selectors.get_outreach_for_engineer(request.user, pk)
    form = forms.AcceptForm(request.POST)
    if not form.is_valid():
        return _opportunity_page(request, outreach, accept_form=form, status=400)
    try:
        services.outreach_accept(outreach=outreach, user=request.user, **form.cleaned_data)
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("hiring:opportunity", args=[pk]))
    return _answered(
        request,
        outreach,
        f"You accepted. {outreach.company.name} can now see your email, phone and resume, "
        "and will be in touch in your conversation.",
    )


@login_required
@require_POST
def decline(request: AuthedRequest, pk: int) -> HttpResponse:
    outreach = selectors.get_outreach_for_engineer(request.user, pk)
    form = forms.DeclineForm(request.POST, company_name=outreach.company.name)
    if not form.is_valid():
        return _opportunity_page(request, outreach, decline_form=form, status=400)
    try:
        services.outreach_decline(outreach=outreach, user=request.user, **form.cleaned_data)
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("hiring:opportunity", args=[pk]))
    notice = f"You declined. {outreach.company.name} has been told your reason."
    if form.cleaned_data["block"]:
        notice += " They will not see your profile again."
    return _answered(request, outreach, notice)


@login_required
@require_POST
def reply(request: AuthedRequest, pk: int) -> HttpResponse:
    outreach = selectors.get_outreach_for_engineer(request.user, pk)
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        return _opportunity_page(request, outreach, reply_form=form, status=400)
    data = form.cleaned_data
    try:
        services.outreach_reply(
            outreach=outreach,
            user=request.user,
            body=data["body"],
            counter_amount=data["counter_amount"],
            counter_unit=data["counter_unit"] if data["counter_amount"] is not None else "",
        )
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("hiring:opportunity", args=[pk]))
    return _answered(
        request,
        outreach,
        f"Sent to {outreach.company.name}. The offer stays open until "
        f"{outreach.decide_by:%-d %B}; you can still accept or decline.",
    )


@login_required
@require_POST
def step_back(request: AuthedRequest, pk: int) -> HttpResponse:
    outreach = selectors.get_outreach_for_engineer(request.user, pk)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _opportunity_page(request, outreach, step_back_form=form, status=400)
    try:
        services.engineer_step_back(outreach=outreach, user=request.user, **form.cleaned_data)
    except Refused as exc:
        return reply_refused(request, exc, back=reverse("hiring:opportunity", args=[pk]))
    return _answered(
        request,
        outreach,
        f"You stepped back from “{outreach.brief.title}”. {outreach.company.name} has been told. "
        "They can still see the contact details you shared; withdraw that under Contact access.",
    )


@login_required
@require_POST
def report_outreach(request: AuthedRequest, pk: int) -> HttpResponse:
    outreach = selectors.get_outreach_for_engineer(request.user, pk)
    form = forms.NoteForm(request.POST, prefix="report")
    if not form.is_valid():
        return _opportunity_page(request, outreach, report_form=form, status=400)
    services.report_create(reporter=request.user, outreach=outreach, **form.cleaned_data)
    return _answered(
        request,
        outreach,
        "Thank you for telling us. Karigar staff will look at this outreach; "
        f"{outreach.company.name} is not told who reported it.",
    )


# Threads ------------------------------------------------------------------------
# Every view starts from selectors.get_thread_for_user (404 unless the user is the
# thread's engineer or a member of its company), which also says which side they are.


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    """Every conversation of the engineer, or of the employer's whole company."""
    if request.user.is_engineer:
        side = Message.Side.ENGINEER
    else:
        account_selectors.get_company(request.user)  # 403 for staff, 404 without a company
        side = Message.Side.COMPANY
    threads = selectors.threads_for_side(request.user, side)
    return render(request, "hiring/inbox.html", {"threads": threads, "side": side})


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthedRequest, pk: int) -> HttpResponse:
    """The conversation, oldest line first, with a reply form. Opening it marks it read;
    a reply redirects back to it, or with htmx appends itself and empties the form."""
    conversation, side = selectors.get_thread_for_user(request.user, pk)
    form = forms.MessageForm(posted(request))
    if not form.is_bound:
        services.thread_mark_read(thread=conversation, side=side)
        return _thread_page(request, conversation, side, form)
    status = 400
    if form.is_valid():
        try:
            message = services.message_post(
                thread=conversation, author=request.user, side=side, body=form.cleaned_data["body"]
            )
        except Refused as exc:
            form.add_error("body", str(exc))
            status = exc.status
        else:
            if request.htmx:
                context = {"form": forms.MessageForm(), "thread": conversation, "side": side}
                context |= {"sent": message, "zone": _zone(conversation, side)}
                return render(request, "hiring/thread.html#reply", context)
            url = reverse("hiring:thread", args=[conversation.pk])
            return redirect(f"{url}#message-{message.pk}")
    if request.htmx:
        context = {"form": form, "thread": conversation, "side": side}
        return render(request, "hiring/thread.html#reply", context, status=status)
    return _thread_page(request, conversation, side, form, status=status)


def _zone(thread: Thread, side: str) -> str:
    """Times are shown in the reader's zone: the engineer's own, or the company's."""
    return thread.profile.time_zone if side == Message.Side.ENGINEER else thread.company.time_zone


def _thread_page(
    request: AuthedRequest, thread: Thread, side: str, form: forms.MessageForm, status: int = 200
) -> HttpResponse:
    engineer_side = side == Message.Side.ENGINEER
    context = {
        "thread": thread,
        "side": side,
        "form": form,
        "zone": _zone(thread, side),
        "messages_": selectors.thread_messages(thread),
        "outreach": selectors.thread_outreach(thread),
        "report_form": forms.ReportForm() if engineer_side else None,
        "contact_visible": (
            not engineer_side and profile_selectors.contact_visible(thread.profile, thread.company)
        ),
    }
    return render(request, "hiring/thread.html", context, status=status)


@login_required
@require_POST
def report_message(request: AuthedRequest, pk: int, message_pk: int) -> HttpResponse:
    """The engineer flags a company's message as abusive; staff see it in the admin."""
    conversation, side = selectors.get_thread_for_user(request.user, pk)
    if side != Message.Side.ENGINEER:
        raise PermissionDenied("Only the engineer in a conversation can report its messages.")
    message = selectors.get_thread_message(conversation, message_pk, side=Message.Side.COMPANY)
    back = reverse("hiring:thread", args=[conversation.pk])
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        return reply_message(request, " ".join(str(e) for e in form.errors["note"]), back=back)
    services.report_create(reporter=request.user, message=message, note=form.cleaned_data["note"])
    return reply_changed(
        request,
        notice=(
            "Thank you for telling us. Karigar staff will read the message and act on it; "
            f"{conversation.company.name} is not told who reported it."
        ),
        redirect_to=back,
    )
