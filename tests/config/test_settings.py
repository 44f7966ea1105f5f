"""Configuration from the environment: bad values stop start-up, production passes --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "karigar.example",
    "CSRF_TRUSTED_ORIGINS": "https://karigar.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.karigar.example:587",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION}
    }
    # The test database exists on every server the suite runs against; the
    # development one (named in DATABASE_URL) may not.
    database_url = settings.DATABASE_URL.rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    clean.update(
        DATABASE_URL=database_url,
        REDIS_URL=settings.REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_production_settings_pass_the_deploy_check() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 50 characters"),
        ("DATABASE_URL", "mysql://db/karigar", "DATABASE_URL must be a URL starting with"),
        ("REDIS_URL", "memcached://cache", "REDIS_URL must be a URL starting with"),
        ("EMAIL_URL", "carrier-pigeon://coop", "EMAIL_URL must be a URL starting with"),
        ("CSRF_TRUSTED_ORIGINS", "karigar.example", "CSRF_TRUSTED_ORIGINS entries must start"),
        ("ALLOWED_HOSTS", " ", "Set ALLOWED_HOSTS"),
    ],
)
def test_a_bad_value_stops_start_up_with_a_clear_message(
    name: str, value: str, message: str
) -> None:
    result = run_manage("check", **{**PRODUCTION, name: value})

    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_embedded_services() -> None:
    env = {**PRODUCTION, "DATABASE_URL": ""}
    result = run_manage("check", **env)

    assert result.returncode != 0
    assert "Set DATABASE_URL and REDIS_URL" in result.stderr


@pytest.mark.django_db
def test_pages_send_the_security_headers(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/", headers={"X-Forwarded-Proto": "https"})

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
