"""Request-wide guards that must run before any view or middleware reads the body."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is over settings.MAX_REQUEST_BYTES.

    Django streams a multipart upload to a temporary file before any form can
    check its size, so a 2 GB "resume" would be read whole first. The body's
    length is declared in Content-Length, so it is refused here, unread, with a
    413 page. (Without Content-Length, Django reads no body at all.) A proxy in
    front should set the same limit, e.g. nginx's client_max_body_size.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            return render(
                request,
                "413.html",
                {"size_mb": length / 2**20, "limit_mb": limit / 2**20},
                status=413,
            )
        return self.get_response(request)
