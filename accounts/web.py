"""What every app's views share: the typed request, form binding and htmx replies.

Each app's views import these rather than writing their own, so that a new view
binds a form, answers htmx and reports a problem the same way as every other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from accounts.errors import Refused
from accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind @login_required: its user is a real User; htmx is django-htmx's."""

    user: User
    htmx: HtmxDetails


def posted(request: HttpRequest) -> Any:
    """The submitted data, or None so that a GET binds nothing (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> Any:
    """The uploaded files of a POST, or None for a GET."""
    return request.FILES if request.method == "POST" else None


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The posted ``next`` page to go back to, if it is on this site; else ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def reply_changed(
    request: AuthedRequest,
    *,
    notice: str,
    redirect_to: str,
    fragment: Callable[..., HttpResponse] | None = None,
) -> HttpResponse:
    """After a change: a plain form post gets a redirect and the notice as a message;
    htmx gets ``fragment(notice=notice)``, the part of the page it swaps in, or, without
    a fragment, the notice alone. ``redirect_to`` is a URL or a URL name."""
    if request.htmx:
        if fragment is None:
            return reply_message(request, notice, back=resolve_url(redirect_to), status=200)
        return fragment(notice=notice)
    messages.success(request, notice)
    return redirect(redirect_to)


def reply_message(
    request: AuthedRequest, message: str, *, back: str, status: int = 400
) -> HttpResponse:
    """A message on its own: for htmx only the message, otherwise a page with a way back.

    A 4xx says what was wrong; a 200 says what was done.
    """
    template = "message.html" + ("#message" if request.htmx else "")
    context = {"message": message, "back": back, "ok": status < 400}
    return render(request, template, context, status=status)


def reply_refused(request: AuthedRequest, refusal: Refused, *, back: str) -> HttpResponse:
    """A service's refusal as a page or an htmx fragment, with its 4xx status."""
    return reply_message(request, str(refusal), back=back, status=refusal.status)
