"""Karigar settings: one module, configured by environment variables.

Every variable is read through a small typed helper that stops start-up with
a clear message when a value is malformed. See README.md for the table.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, schemes: set[str]) -> str | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with one of: {allowed} (got {value!r})."
        )
    return value


DEBUG = env_bool("DEBUG", False)

_secret = os.environ.get("SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true on a developer machine).")
    _secret = "insecure-development-key-only-for-DEBUG-mode"  # noqa: S105
elif not DEBUG and len(_secret) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
SECRET_KEY = _secret

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names Karigar is served on.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if urlsplit(_origin).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entries must start with https:// or http:// (got {_origin!r})."
        )

# Services. Developer machines without the URLs get embedded servers under .data/.
_database_url = env_url("DATABASE_URL", {"postgres", "postgresql", "pgsql"})
_redis_url = env_url("REDIS_URL", {"redis", "rediss", "unix"})
if _database_url is None or _redis_url is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DATABASE_URL and REDIS_URL (embedded services are DEBUG only)."
        )
    from config import devservices

    _database_url = _database_url or devservices.database_url()
    _redis_url = _redis_url or devservices.redis_url()
DATABASE_URL: str = _database_url
REDIS_URL: str = _redis_url

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# Read replicas for search and profile pages (accounts/replicas.py): one alias each.
DATABASE_REPLICAS: list[str] = []
for _n, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    if urlsplit(_url).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URLS entries must be PostgreSQL URLs (got {_url!r})."
        )
    DATABASES[f"replica_{_n}"] = {
        **dj_database_url.parse(_url, conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica_{_n}")
DATABASE_ROUTERS = ["accounts.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def redis_db_url(url: str, db: int) -> str:
    """The same Redis server, another logical database."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}?db={db}"
    return parts._replace(path=f"/{db}").geturl()


CACHES = {
    "default": {
        "BACKEND": "config.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "karigar",
    }
}
# Sessions live in PostgreSQL; Redis keeps a copy to skip the query. Redis may evict that
# copy with the other caches (volatile-lru) without logging anyone out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _celery_url(url: str) -> str:
    # Kombu spells unix sockets as redis+socket:///path?virtual_host=N.
    parts = urlsplit(url)
    if parts.scheme != "unix":
        return url
    db = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p).get("db", "0")
    return f"redis+socket://{parts.path}?virtual_host={db}"


CELERY_BROKER_URL = _celery_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "accounts.tasks.outbox_sweep", "schedule": 300.0},
    # 08:00 in Lahore (Asia/Karachi is UTC+5 all year; Celery's clock here is UTC).
    "brief-alerts": {
        "task": "searches.tasks.send_brief_alerts",
        "schedule": crontab(hour=3, minute=0),
    },
    "sessions-clear-expired": {
        "task": "accounts.tasks.sessions_clear_expired",
        "schedule": crontab(hour=2, minute=30),
    },
    # Hourly, just after Lahore's midnight among others: the stored UTC working windows
    # of zones whose clocks changed (daylight saving) follow the new day's offset.
    "utc-windows": {"task": "candidates.tasks.refresh_utc_windows", "schedule": crontab(minute=1)},
    # Outreach reminders go out at 10:00 in each engineer's own zone (some are :30 or
    # :45 off UTC), and expiry at the end of their decide-by day: every 15 minutes.
    "outreach-sweep": {"task": "hiring.tasks.outreach_sweep", "schedule": crontab(minute="*/15")},
    # Weekly check-ins: every hour sends the ones whose local day and time have come
    # (the engineer's zone, daylight saving included), reminds a day later, then marks missed.
    "checkin-sweep": {"task": "hiring.tasks.checkin_sweep", "schedule": crontab(minute=0)},
    # Milestones deemed accepted after the agreed days, invoice periods, overdue payments.
    "milestone-sweep": {"task": "hiring.tasks.milestone_sweep", "schedule": crontab(minute="*/15")},
    # Contracts whose notice has run out end; reviews are published at 14 days.
    "ending-sweep": {"task": "hiring.tasks.ending_sweep", "schedule": crontab(minute="*/15")},
    # Message digests whose 15-minute window has ended.
    "thread-digests": {"task": "hiring.tasks.thread_digest_sweep", "schedule": 60.0},
    # Assessment reminders (a day before the deadline, moved to a waking local hour)
    # and expiry at the deadline.
    "assessment-sweep": {
        "task": "screening.tasks.assessment_sweep",
        "schedule": crontab(minute="*/15"),
    },
    # Interview reminders a day and an hour before: every five minutes, so the hour's
    # reminder is never late by more than that.
    "interview-sweep": {"task": "screening.tasks.interview_sweep", "schedule": 300.0},
    # Scorecards still missing two hours after an interview ended.
    "scorecard-sweep": {
        "task": "screening.tasks.scorecard_sweep",
        "schedule": crontab(minute="*/15"),
    },
}

# Email: EMAIL_URL says how the worker delivers the outbox.
_email_url = env_url("EMAIL_URL", {"smtp", "smtps", "smtp+tls", "console"}) or (
    "console://" if DEBUG else None
)
if _email_url is None:
    raise ImproperlyConfigured("Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.com:587.")
_email = urlsplit(_email_url)
MAILERS: dict[str, dict[str, Any]]
if _email.scheme == "console":
    # Prints each message readably, links whole (Django's prints raw MIME).
    MAILERS = {"default": {"BACKEND": "config.mail.ConsoleEmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email.hostname or "localhost",
                "port": _email.port or {"smtp": 25, "smtps": 465, "smtp+tls": 587}[_email.scheme],
                "username": unquote(_email.username or ""),
                "password": unquote(_email.password or ""),
                "use_ssl": _email.scheme == "smtps",
                "use_tls": _email.scheme == "smtp+tls",
                "timeout": 20,
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Karigar <hello@karigar.localhost>")
# A worker's claim on an outbox row lasts this long; a row still "sending" after that is
# stuck (its worker died mid-send) and is sent again. Well past the SMTP timeout (20 s a step).
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 300)
if OUTBOX_LEASE_SECONDS < 60:
    raise ImproperlyConfigured("OUTBOX_LEASE_SECONDS must be at least 60 (the SMTP timeout is 20).")
# Emails are rendered by workers, away from any request: links start from this address.
# Rates in PKR a month are compared with hourly USD rates through these two numbers.
PKR_PER_USD = env_int("PKR_PER_USD", 280)
HOURS_PER_MONTH = 160
# How long a search's ranking is reused (searches.engine); 0 turns the cache off.
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 600)
SITE_URL = (env_url("SITE_URL", {"http", "https"}) or "http://127.0.0.1:8000").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Invitations are emails to people who did not ask for them: a company may send
# this many (accounts.limits), and one address may receive this many a day.
INVITATION_LIMITS = {"per_hour": 20, "per_day": 50, "per_address_per_day": 3}
# Outreach emails engineers who did not ask: a company may send this many a day (UTC day).
OUTREACH_DAILY_LIMIT = env_int("OUTREACH_DAILY_LIMIT", 30)
if OUTREACH_DAILY_LIMIT < 1:
    raise ImproperlyConfigured("OUTREACH_DAILY_LIMIT must be at least 1.")
# A thread emails each side at most once per this many minutes (a digest of unread lines).
THREAD_DIGEST_MINUTES = 15

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
    "candidates",
    "searches",
    "screening",
    "hiring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"

# django-allauth
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Karigar: "
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_USER_DISPLAY = "accounts.models.user_display"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_email": "1/m/user",
}
# The rate limits above count per client address. Behind proxies, REMOTE_ADDR is the
# nearest proxy's, so the client's address is taken from X-Forwarded-For, counting
# this many entries from the right (each trusted proxy appends one). With 0, the
# header is ignored: without a proxy in front, anyone could write it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if not 0 <= TRUSTED_PROXY_COUNT <= 5:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be between 0 and 5 (got {TRUSTED_PROXY_COUNT})."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Karigar"
# Tracking activity costs four queries on every request; the sessions page shows sign-in time.
USERSESSIONS_TRACK_ACTIVITY = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Karachi"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Request bodies past this are refused unread (config.middleware). Up to it, a resume
# just over its 5 MB limit still reaches the form, which says exactly how big it was.
MAX_REQUEST_BYTES = 8 * 1024 * 1024
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security headers. Django 6's own Content-Security-Policy middleware.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS: list[str] = []
# /healthz answers load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}
