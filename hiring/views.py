"""Outreach, opportunities and threads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts.errors import Refused
from accounts.web import AuthedRequest, posted, reply_changed, reply_message
from candidates import selectors as profile_selectors
from hiring import selectors as thread_selectors
from hiring import services
from hiring.forms import MessageForm, ReportForm
from hiring.models import Message, Thread

# Outreach and opportunities -------------------------------------------------------
# TODO(outreach UI): replace each placeholder below with the real view.


@login_required
def outreach_new(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def outreach_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def template_list(request: AuthedRequest) -> HttpResponse:
    raise Http404


@login_required
def template_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def template_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def opportunities(request: AuthedRequest) -> HttpResponse:
    raise Http404


@login_required
def opportunity(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def decline(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def reply(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def step_back(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


@login_required
def report_outreach(request: AuthedRequest, pk: int) -> HttpResponse:
    raise Http404


# Threads ------------------------------------------------------------------------
# Every view starts from selectors.get_thread_for_user (404 unless the user is the
# thread's engineer or a member of its company), which also says which side they are.


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    """Every conversation of the engineer, or of the employer's whole company."""
    if request.user.is_engineer:
        side = Message.Side.ENGINEER
    else:
        account_selectors.get_company(request.user)  # 403 for staff, 404 without a company
        side = Message.Side.COMPANY
    threads = thread_selectors.threads_for_side(request.user, side)
    return render(request, "hiring/inbox.html", {"threads": threads, "side": side})


@login_required
@require_http_methods(["GET", "POST"])
def thread(request: AuthedRequest, pk: int) -> HttpResponse:
    """The conversation, oldest line first, with a reply form. Opening it marks it read;
    a reply redirects back to it, or with htmx appends itself and empties the form."""
    conversation, side = thread_selectors.get_thread_for_user(request.user, pk)
    form = MessageForm(posted(request))
    if not form.is_bound:
        services.thread_mark_read(thread=conversation, side=side)
        return _thread_page(request, conversation, side, form)
    if form.is_valid():
        try:
            message = services.message_post(
                thread=conversation, author=request.user, side=side, body=form.cleaned_data["body"]
            )
        except Refused as exc:
            form.add_error("body", str(exc))
        else:
            if request.htmx:
                context = {"form": MessageForm(), "thread": conversation, "side": side}
                context |= {"sent": message, "zone": _zone(conversation, side)}
                return render(request, "hiring/thread.html#reply", context)
            url = reverse("hiring:thread", args=[conversation.pk])
            return redirect(f"{url}#message-{message.pk}")
    if request.htmx:
        context = {"form": form, "thread": conversation, "side": side}
        return render(request, "hiring/thread.html#reply", context, status=400)
    return _thread_page(request, conversation, side, form, status=400)


def _zone(thread: Thread, side: str) -> str:
    """Times are shown in the reader's zone: the engineer's own, or the company's."""
    return thread.profile.time_zone if side == Message.Side.ENGINEER else thread.company.time_zone


def _thread_page(
    request: AuthedRequest, thread: Thread, side: str, form: MessageForm, status: int = 200
) -> HttpResponse:
    engineer_side = side == Message.Side.ENGINEER
    context = {
        "thread": thread,
        "side": side,
        "form": form,
        "zone": _zone(thread, side),
        "messages_": thread_selectors.thread_messages(thread),
        "outreach": thread_selectors.thread_outreach(thread),
        "report_form": ReportForm() if engineer_side else None,
        "contact_visible": (
            not engineer_side and profile_selectors.contact_visible(thread.profile, thread.company)
        ),
    }
    return render(request, "hiring/thread.html", context, status=status)


@login_required
@require_POST
def report_message(request: AuthedRequest, pk: int, message_pk: int) -> HttpResponse:
    """The engineer flags a company's message as abusive; staff see it in the admin."""
    conversation, side = thread_selectors.get_thread_for_user(request.user, pk)
    if side != Message.Side.ENGINEER:
        raise PermissionDenied("Only the engineer in a conversation can report its messages.")
    message = thread_selectors.get_thread_message(
        conversation, message_pk, side=Message.Side.COMPANY
    )
    back = reverse("hiring:thread", args=[conversation.pk])
    form = ReportForm(request.POST)
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
