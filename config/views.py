"""Project-wide pages: the landing page, robots.txt and the health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from config import health


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return render(request, "landing.html")


ROBOTS = "User-agent: *\nDisallow: /admin/\n"


def robots(request: HttpRequest) -> HttpResponse:
    """Also the benchmark's baseline: the cheapest page Django can serve."""
    return HttpResponse(ROBOTS, content_type="text/plain")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, Redis and a Celery worker heartbeat: 200 when all are up, 503 otherwise.

    Cheap enough to call often; says only "up" or "down" per component."""
    result = health.report()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)
