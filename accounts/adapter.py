"""allauth customisation: roles on sign-up, redirects, and mail through the outbox."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.forms import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from accounts.emails import email_enqueue
from accounts.forms import INVITATION_SESSION_KEY
from accounts.limits import retry_phrase


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        user.role = form.chosen_role
        return super().save_user(request, user, form, commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return _invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return _invitation_url(request) or super().get_signup_redirect_url(request)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if exc.code != "too_many_login_attempts":
                raise
            message = self._login_lock_message(request, credentials)
            if message is None:
                raise
            raise ValidationError(message, code=exc.code) from None

    def _login_lock_message(self, request: HttpRequest, credentials: dict[str, Any]) -> str | None:
        """Which failed-login limit refused this attempt, and when it lets go.

        allauth only says "try again later"; the owner of a locked account should
        learn that it is the account (not their network) and when it opens again.
        Reads allauth's own counters (a list of attempt times, newest first).
        """
        key = self._get_login_attempts_cache_key(request, **credentials)
        now = time.time()
        found: dict[str, float] = {}
        for rate in ratelimit.get_rates(app="allauth.account", action="login_failed"):
            cache_key = ratelimit.get_cache_key(
                request, app="allauth.account", action="login_failed", rate=rate, key=key
            )
            recent = sorted(
                (at for at in cache.get(cache_key, []) if at > now - rate.duration), reverse=True
            )
            if rate.amount and len(recent) >= rate.amount:
                opens = recent[rate.amount - 1] + rate.duration
                found[rate.per] = max(opens, found.get(rate.per, 0.0))
        when = {
            per: retry_phrase(
                datetime.fromtimestamp(at, tz=UTC), now=datetime.fromtimestamp(now, tz=UTC)
            )
            for per, at in found.items()
        }
        if "key" in when:
            return (
                "Too many failed attempts for this account. "
                f"Try again {when['key']}, or reset your password."
            )
        if "ip" in when:
            return f"Too many failed login attempts from your network. Try again {when['ip']}."
        return None

    def get_client_ip(self, request: HttpRequest) -> str:
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT: the request
            # did not come through every proxy, so count it against the sender itself.
            sender = request.META.get("REMOTE_ADDR")
            if not sender:
                raise PermissionDenied("Unable to determine the client's address.") from None
            return str(sender)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth renders; the outbox records and a worker delivers.
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = next(
            (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
        )
        if message.content_subtype == "html":
            text, html = "", str(message.body)
        else:
            text = str(message.body)
        email_enqueue(
            to=email,
            template=template_prefix,
            subject=str(message.subject),
            text=text,
            html=str(html),
        )


def _invitation_url(request: HttpRequest) -> str | None:
    """An invited person who signs up or logs in goes back to their invitation."""
    token = request.session.get(INVITATION_SESSION_KEY)
    return reverse("accounts:invitation", args=[token]) if token else None
