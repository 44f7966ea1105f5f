"""``make bench``: search speed at scale, measured through Django and through gunicorn.

    .venv/bin/python -m bench.run [--profiles N] [--no-load-test] [--requests 30]

1. A database of its own, ``karigar_bench``: on the server of DATABASE_URL when
   that is set, else on the embedded PostgreSQL. It is migrated, and filled with
   BENCH_PROFILES (default 1,000,000) approved engineers by ``generate_engineers``
   only when the number there differs, then VACUUM ANALYZE'd.
2. An employer and the briefs in BRIEFS; the URLs in ``bench_urls`` (each brief's
   results, some sorted or deep, and ad-hoc searches).
3. In process, with Django's test client logged in as the employer: each URL is
   warmed up, then timed ``--requests`` times; its SQL queries are counted once.
   ``/robots.txt`` is timed the same way as the baseline of a minimal Django page.
4. A mixed replay (``mixed_urls``): most requests repeat a recent search, a stated
   share (MIXED_NEW_SHARE) are combinations nobody asked before, as real traffic is.
5. gunicorn with 2 workers and production settings, wrk with 10 connections for
   30 s: as served, cold (caches off) and the mixed replay. Only wrk: a client in
   Python competes with the server for the same cores and reports a fraction of
   what the server does. Without wrk (and no way to install it) this phase is
   skipped, loudly.

It prints a table and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results.json"
BENCH_DB = "karigar_bench"
DEFAULT_PROFILES = 1_000_000
EMPLOYER_EMAIL = "bench.employer@karigar.localhost"
BASELINE_URL = "/robots.txt"
# Settings the way production runs them (DEBUG off), for both phases.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-never-used-anywhere-else-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "EMAIL_URL": "console://",
    "SECURE_SSL_REDIRECT": "false",
}


@dataclass(frozen=True)
class BriefSpec:
    """One benchmark brief and what it is there to exercise."""

    title: str
    purpose: str
    must: tuple[str, ...] = ()
    nice: tuple[str, ...] = ()
    min_years: int | None = None
    seniority: str = ""
    engagement: str = ""
    max_hourly_usd: int | None = None
    max_monthly_pkr: int | None = None
    overlap: int | None = None
    keywords: str = ""
    pages: tuple[int, ...] = (1,)
    sorts: tuple[str, ...] = ("match",)


BRIEFS: list[BriefSpec] = [
    BriefSpec(
        "Django API for a payments startup",
        "common skills, loose budget, nice-to-haves ranked",
        must=("Python", "Django"),
        nice=("PostgreSQL", "Celery", "Redis"),
        max_hourly_usd=60,
        sorts=("match", "rate"),
    ),
    BriefSpec(
        "Senior Python, tight budget",
        "common skill with a tight budget: few rows pass the rate filter",
        must=("Python",),
        seniority="senior",
        max_hourly_usd=12,
    ),
    BriefSpec(
        "Go microservices",
        "common skill pair, page 5",
        must=("Go", "Microservices"),
        nice=("Kubernetes", "gRPC"),
        max_hourly_usd=45,
        pages=(1, 5),
    ),
    BriefSpec(
        "Java Spring, full time",
        "common skills plus engagement and years",
        must=("Java", "Spring"),
        engagement="full_time",
        min_years=5,
    ),
    BriefSpec(
        "Elixir and Phoenix",
        "rare skills: under 1% of profiles",
        must=("Elixir", "Phoenix"),
    ),
    BriefSpec(
        "Rust systems engineer",
        "rare skill with a budget and a deep sort by experience",
        must=("Rust",),
        max_hourly_usd=50,
        sorts=("match", "experience"),
    ),
    BriefSpec(
        "Node.js and TypeScript backend",
        "common skills, the deepest page (50 pages of 20 are reachable)",
        must=("Node.js", "TypeScript"),
        pages=(1, 50),
    ),
    BriefSpec(
        "Laravel maintenance, monthly PKR budget",
        "budget in PKR a month converted to USD",
        must=("PHP", "Laravel"),
        max_monthly_pkr=250_000,
        engagement="part_time",
    ),
    BriefSpec(
        "Kafka data pipelines",
        "full text plus skills, ranked by text",
        must=("Kafka",),
        keywords="pipeline latency",
    ),
    BriefSpec(
        "Payments ledger",
        "full text only: a common word",
        keywords="payments",
        sorts=("match", "recent"),
    ),
    BriefSpec(
        "Logistics deliveries",
        "full text only: two common words together",
        keywords="logistics delivery",
    ),
    BriefSpec(
        "US hours overlap",
        "time-zone overlap against a company day",
        must=("Python",),
        overlap=4,
    ),
    BriefSpec(
        "Lead architect",
        "lead seniority, many years, nice-to-haves",
        seniority="lead",
        min_years=10,
        nice=("System design", "AWS", "Kubernetes"),
    ),
    BriefSpec(
        "Junior backend, cheapest first",
        "sort by rate over a large match set",
        seniority="junior",
        sorts=("rate",),
        pages=(1, 20),
    ),
    BriefSpec(
        "Anyone available, most recent",
        "no filters at all: every listed profile",
        sorts=("recent",),
        pages=(1, 50),
    ),
    BriefSpec(
        "DevOps with Terraform",
        "mid-frequency skills with a budget",
        must=("Terraform", "AWS"),
        max_hourly_usd=40,
    ),
    BriefSpec(
        "GraphQL API",
        "skills plus full text",
        must=("GraphQL",),
        keywords="api",
    ),
    BriefSpec(
        "Scala and Cassandra",
        "rare skill combination, maybe no results",
        must=("Scala", "Cassandra"),
        max_hourly_usd=20,
    ),
    BriefSpec(
        ".NET with SQL Server",
        "common enterprise pair, years",
        must=(".NET", "SQL Server"),
        min_years=3,
    ),
    BriefSpec(
        "FastAPI contractor",
        "contract engagement, budget, nice-to-haves",
        must=("FastAPI",),
        nice=("Docker", "PostgreSQL"),
        engagement="contract",
        max_hourly_usd=35,
    ),
    BriefSpec(
        "Query optimisation specialist",
        "practice skill and full text",
        must=("Query optimization",),
        keywords="postgresql query",
    ),
]

# Ad-hoc browse: the filter sidebar without a brief.
ADHOC: list[tuple[str, str]] = [
    ("/search/", "browse with no filters"),
    ("/search/?skills=python&max_rate=30&q=payments&page=40", "skill, budget, text, deep page"),
    ("/search/?skills=go&skills=kubernetes&sort=experience", "two skills by experience"),
    ("/search/?q=fintech&sort=recent&page=3", "full text, recent"),
    ("/search/?skills=elixir", "rare skill"),
    ("/search/?seniority=senior&engagement=contract&max_rate=25&sort=rate", "filters, by rate"),
    ("/search/?skills=java&min_years=8&overlap=6", "years and overlap"),
    ("/search/?available_by=2030-01-01&page=100", "availability, page 100"),
]


# The mixed replay: the share of its requests that are new combinations; the rest
# repeat one of the last MIXED_RECENT searches (a page opened again, a team-mate's
# visit, the back button).
MIXED_NEW_SHARE = 0.2
MIXED_RECENT = 50
MIXED_SKILLS = [
    "python",
    "django",
    "go",
    "java",
    "spring",
    "nodejs",
    "typescript",
    "php",
    "laravel",
    "rust",
    "kafka",
    "aws",
    "terraform",
    "graphql",
    "docker",
    "postgresql",
    "kubernetes",
    "fastapi",
    "redis",
    "mysql",
]
MIXED_SORTS = ("match", "rate", "experience", "recent")


def mixed_urls(
    start: list[str],
    count: int,
    *,
    seed: int,
    share: float = MIXED_NEW_SHARE,
    brief_ids: list[int] | None = None,
) -> tuple[list[str], int]:
    """``count`` URLs: each, with probability ``share``, a combination of skills, budget
    and sort that no earlier request asked (the budget has cents drawn from ``seed``,
    so no run repeats another's), else a repeat of one of the last MIXED_RECENT URLs,
    which begin as ``start``. Returns the URLs and how many are new."""
    import random

    rng = random.Random(seed)
    recent = list(start[-MIXED_RECENT:])
    urls: list[str] = []
    new = 0
    seen: set[str] = set(start)
    while len(urls) < count:
        if recent and rng.random() >= share:
            url = rng.choice(recent)
        else:
            budget = f"{rng.randint(8, 120)}.{rng.randint(1, 99):02d}"
            sort = rng.choice(MIXED_SORTS)
            years = f"&min_years={rng.randint(1, 10)}" if rng.random() < 0.5 else ""
            overlap = f"&overlap={rng.randint(1, 8)}" if rng.random() < 0.3 else ""
            tail = f"max_rate={budget}{years}{overlap}&sort={sort}"
            if brief_ids and rng.random() < 0.5:
                url = f"/briefs/{rng.choice(brief_ids)}/results/?{tail}"
            else:
                skills = "".join(
                    f"skills={name}&" for name in rng.sample(MIXED_SKILLS, rng.randint(0, 2))
                )
                url = f"/search/?{skills}{tail}"
            if url in seen:
                continue
            seen.add(url)
            new += 1
            recent = [*recent[-(MIXED_RECENT - 1) :], url]
        urls.append(url)
    return urls, new


# Database --------------------------------------------------------------------


def bench_db_name(profiles: int) -> str:
    """karigar_bench at the default size, karigar_bench_<n> at any other, so that a
    run at 100,000 profiles does not empty the million."""
    return BENCH_DB if profiles == DEFAULT_PROFILES else f"{BENCH_DB}_{profiles}"


def bench_database_url(profiles: int) -> str:
    """The benchmark's database on DATABASE_URL's server, else on the embedded PostgreSQL."""
    name = bench_db_name(profiles)
    url = os.environ.get("DATABASE_URL")
    if not url:
        return tune_embedded_postgres(name)
    parts = urlsplit(url)
    bench = urlunsplit(parts._replace(path=f"/{name}"))
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return bench


# Search keeps the profile table, its TOAST table and its indexes
# (about 5 GB at a million profiles) in shared buffers; PostgreSQL's default is
# 128 MB. A quarter of the memory, at most this. See bench/README.md.
WANTED_SHARED_BUFFERS_MB = 6144
# What a search reads, loaded into shared buffers before measuring (pg_prewarm),
# least needed first so that the indexes stay if not everything fits.
PREWARM = [
    "candidates_profile",
    "candidates_profile_pkey",
    "accounts_user_pkey",
    "profile_search_gin",
    "profile_tokens_gin",
    "profile_years_listed",
    "profile_rate_listed",
    "profile_seniority_rate_listed",
    "profile_recent_listed",
    "profile_recent_bits",
    "profile_recent_bits_text",
    "profile_rate_bits",
    "profile_years_bits",
]


def prewarm(database_url: str) -> int:
    """Reads the profile table, its TOAST table and its search indexes into shared
    buffers, as a server that has been serving searches has them; returns the blocks
    read (0 where the pg_prewarm extension is not available)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        try:
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except psycopg.Error:
            print(
                "note: pg_prewarm is not available; the warm-up requests warm up", file=sys.stderr
            )
            return 0
        toast = conn.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = %s",
            ["candidates_profile"],
        ).fetchone()
        names = [toast[0], *PREWARM] if toast and toast[0] != "-" else PREWARM
        blocks = 0
        for name in names:
            row = conn.execute("SELECT pg_prewarm(%s::regclass)", [name]).fetchone()
            blocks += int(row[0]) if row else 0
    return blocks


def shared_buffers_mb(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT setting::bigint * current_setting('block_size')::bigint / 1048576"
            " FROM pg_settings WHERE name = 'shared_buffers'"
        ).fetchone()
    return int(row[0]) if row else 0


def tune_embedded_postgres(name: str) -> str:
    """Gives the embedded server the shared buffers the benchmark needs (a quarter of
    the memory, at most WANTED_SHARED_BUFFERS_MB) and restarts it; returns its URL."""
    from config import devservices

    url = devservices.database_url(name)
    memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1048576
    wanted = min(WANTED_SHARED_BUFFERS_MB, memory_mb // 4)
    if shared_buffers_mb(url) < wanted:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"ALTER SYSTEM SET shared_buffers = '{int(wanted)}MB'")
        devservices.restart_postgres()
        print(f"embedded PostgreSQL restarted with {wanted} MB of shared buffers", file=sys.stderr)
    return url


# The benchmark's own logical Redis database, emptied at the start of every run: a
# run never serves another run's rankings (another size's database has the same
# company and criteria, and so the same cache keys), nor the development server's.
BENCH_REDIS_DB = 14


def redis_url() -> str:
    """REDIS_URL's server (else the embedded Redis), database BENCH_REDIS_DB, emptied."""
    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        from config import devservices

        url = devservices.redis_url()
    parts = urlsplit(url)
    if parts.scheme == "unix":
        url = urlunsplit(parts._replace(query=f"db={BENCH_REDIS_DB}"))
    else:
        url = urlunsplit(parts._replace(path=f"/{BENCH_REDIS_DB}"))
    redis.Redis.from_url(url).flushdb()
    return url


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=True)  # noqa: S603


def approved_count(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM candidates_profile WHERE status = 'approved'"
        ).fetchone()
    return int(row[0]) if row else 0


def load_profiles(database_url: str, count: int) -> float:
    """Bring the approved profiles to ``count``; returns the seconds loading took."""
    import psycopg

    have = approved_count(database_url)
    if have == count:
        print(f"{have:,} approved profiles already loaded", file=sys.stderr)
        return 0.0
    started = time.monotonic()
    if have > count:
        print(f"{have:,} profiles, {count:,} wanted: emptying the engineers", file=sys.stderr)
        with psycopg.connect(database_url) as conn:
            conn.execute(
                "TRUNCATE candidates_profile, candidates_profileskill, candidates_job, "
                "candidates_portfolioitem, candidates_companyblock CASCADE"
            )
            conn.execute("DELETE FROM accounts_user WHERE role = 'engineer'")
        have = 0
    manage("generate_engineers", "--count", str(count - have), "--seed", "1")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.monotonic() - started


# Fixtures ----------------------------------------------------------------------


def bench_fixtures() -> tuple[Any, list[tuple[Any, BriefSpec]]]:
    """The employer, its company and BRIEFS, created afresh each run."""
    from accounts.models import Company, Membership, User
    from candidates.models import Skill
    from searches.models import Brief, BriefSkill

    user = User.objects.filter(email=EMPLOYER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=EMPLOYER_EMAIL, full_name="Bench Employer", role=User.Role.EMPLOYER
        )
    membership = Membership.objects.filter(user=user).select_related("company").first()
    if membership is None:
        company = Company.objects.create(name="Bench Company")
        Membership.objects.create(user=user, company=company, role=Membership.Role.OWNER)
    else:
        company = membership.company
    Brief.objects.filter(company=company).delete()
    skills = {s.name: s for s in Skill.objects.all()}
    briefs = []
    for spec in BRIEFS:
        brief = Brief.objects.create(
            company=company,
            created_by=user,
            title=spec.title,
            description=spec.purpose,
            min_years=spec.min_years,
            seniority=spec.seniority,
            engagement=spec.engagement,
            max_hourly_usd=Decimal(spec.max_hourly_usd) if spec.max_hourly_usd else None,
            max_monthly_pkr=Decimal(spec.max_monthly_pkr) if spec.max_monthly_pkr else None,
            min_overlap_hours=spec.overlap,
            keywords=spec.keywords,
            alerts_enabled=False,
        )
        BriefSkill.objects.bulk_create(
            [BriefSkill(brief=brief, skill=skills[n], kind=BriefSkill.Kind.MUST) for n in spec.must]
            + [
                BriefSkill(brief=brief, skill=skills[n], kind=BriefSkill.Kind.NICE)
                for n in spec.nice
            ]
        )
        briefs.append((brief, spec))
    return user, briefs


def bench_urls(briefs: list[tuple[Any, BriefSpec]]) -> list[tuple[str, str]]:
    """(url, purpose) for every brief's pages and sorts, then the ad-hoc searches."""
    urls = []
    for brief, spec in briefs:
        for sort in spec.sorts:
            for page in spec.pages:
                urls.append(
                    (
                        f"/briefs/{brief.pk}/results/?page={page}&sort={sort}",
                        f"{spec.title}: {spec.purpose}",
                    )
                )
    return urls + ADHOC


# Measuring ---------------------------------------------------------------------


def percentile(values: list[float], pct: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


@dataclass
class Timing:
    url: str
    purpose: str
    status: int
    queries: int
    ms: list[float] = field(default_factory=list)


def time_url(client: Any, url: str, purpose: str, *, warmup: int, repeat: int) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    timing = Timing(url=url, purpose=purpose, status=response.status_code, queries=len(queries))
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timing.ms.append((time.perf_counter() - started) * 1000)
    return timing


def _pooled(timings: list[Timing]) -> tuple[list[Timing], list[float]]:
    # Pages past the end of a small database (404) are listed, but only results pages count.
    pages = [t for t in timings if t.status == 200] or timings
    return pages, [ms for t in pages for ms in t.ms]


def replay(client: Any, urls: list[str]) -> tuple[list[float], int]:
    """Each URL once, in order: the milliseconds of each and how many did not answer 200."""
    ms, bad = [], 0
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        ms.append((time.perf_counter() - started) * 1000)
        bad += response.status_code != 200
    return ms, bad


def measure_mixed(*, user: Any, urls: list[str], new: int) -> dict[str, Any]:
    """The mixed replay in process, caches on, as a stream of requests from one client."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    started = time.perf_counter()
    ms, bad = replay(client, urls)
    seconds = time.perf_counter() - started
    return {
        "mixed_new_share": round(new / len(urls), 3),
        "mixed_requests": len(urls),
        "mixed_p50_ms": round(percentile(ms, 50), 2),
        "mixed_p95_ms": round(percentile(ms, 95), 2),
        "mixed_p99_ms": round(percentile(ms, 99), 2),
        "mixed_errors_in_process": bad,
        "mixed_rps_one_client": round(len(urls) / seconds, 1),
    }


def measure(
    *,
    user: Any,
    urls: list[tuple[str, str]],
    warmup: int = 3,
    repeat: int = 30,
    cold_repeat: int = 10,
) -> dict[str, Any]:
    """Server time of every URL and of the baseline page, in this process: first cold
    (the ranking cache off, so every request ranks its search and renders its page),
    then as served (the warm-up requests fill the cache, as a first visit does)."""
    import logging

    from django.test import Client
    from django.test.utils import override_settings

    # A page past the end of a small database is a 404 by design: the table shows it.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    client = Client()
    client.force_login(user)
    baseline = time_url(client, BASELINE_URL, "baseline", warmup=warmup, repeat=repeat)
    with override_settings(SEARCH_CACHE_SECONDS=0):
        cold = [time_url(client, u, p, warmup=1, repeat=cold_repeat) for u, p in urls]
    timings = [time_url(client, u, p, warmup=warmup, repeat=repeat) for u, p in urls]
    # The baseline again at the end: the machine's speed may drift during the run.
    baseline.ms += time_url(client, BASELINE_URL, "baseline", warmup=0, repeat=repeat).ms
    pages, every = _pooled(timings)
    cold_pages, cold_every = _pooled(cold)
    search_p50 = percentile(every, 50)
    baseline_p50 = percentile(baseline.ms, 50)
    return {
        "search_p50_ms": round(search_p50, 2),
        "search_p95_ms": round(percentile(every, 95), 2),
        "search_p99_ms": round(percentile(every, 99), 2),
        "cold_p50_ms": round(percentile(cold_every, 50), 2),
        "cold_p95_ms": round(percentile(cold_every, 95), 2),
        "cold_p99_ms": round(percentile(cold_every, 99), 2),
        "baseline_p50_ms": round(baseline_p50, 2),
        "ratio_p50": round(search_p50 / baseline_p50, 1),
        # A cache miss is the most a page costs: that is the figure to hold to.
        "queries_per_page": max(t.queries for t in [*pages, *cold_pages]),
        "by_url": [
            {
                "url": t.url,
                "purpose": t.purpose,
                "status": t.status,
                "queries": t.queries,
                "cold_queries": c.queries,
                "p50_ms": round(percentile(t.ms, 50), 2),
                "p95_ms": round(percentile(t.ms, 95), 2),
                "cold_p50_ms": round(percentile(c.ms, 50), 2),
                "cold_p95_ms": round(percentile(c.ms, 95), 2),
            }
            for t, c in zip(timings, cold, strict=True)
        ],
    }


# Load test -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def session_cookie(user: Any) -> str:
    """A logged-in session in the shared cache, as the header a load tool sends."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def fetch(base: str, url: str, cookie: str) -> int:
    request = urllib.request.Request(base + url, headers={"Cookie": cookie})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect (say to the login page) counts as an error


WRK_THREADS = 2
WRK_SCRIPT = """
local urls = {%(urls)s}
local cookie = "%(cookie)s"
local threads = {}
local n = 0
bad = 0  -- a global, so that done() can read each thread's count with thread:get

function setup(thread)
  table.insert(threads, thread)
  thread:set("slot", #threads)
end

-- Each thread walks its own share of the list, in order: the mixed replay's new
-- combinations are asked once.
function init(args)
  n = math.floor((slot - 1) * #urls / %(threads)d)
end

function request()
  n = n %% #urls + 1
  return wrk.format("GET", urls[n], {["Cookie"] = cookie})
end

function response(status, headers, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + (thread:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%f %%d\\n", summary.requests, total,
    summary.duration / 1e6, e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(
    base: str, urls: list[str], cookie: str, *, clients: int, seconds: int
) -> tuple[float, int]:
    quoted = ", ".join(json.dumps(u) for u in urls)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"urls": quoted, "cookie": cookie, "threads": WRK_THREADS})
    try:
        out = subprocess.run(  # noqa: S603
            [
                str(shutil.which("wrk")),
                f"-t{WRK_THREADS}",
                f"-c{clients}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    requests, bad, duration, socket_errors = line.split()[1:]
    return int(requests) / float(duration), int(bad) + int(socket_errors)


def wrk_path() -> str | None:
    """wrk, installed with apt-get when it is missing and we may (root on Debian)."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("wrk is missing: installing it with apt-get", file=sys.stderr)
    subprocess.run(  # noqa: S603
        ["apt-get", "install", "-y", "--no-install-recommends", "wrk"],  # noqa: S607
        check=False,
        capture_output=True,
    )
    return shutil.which("wrk")


NO_WRK = (
    "LOAD PHASE SKIPPED: wrk is not installed, and a load client in Python on the same "
    "cores as the server would report a fraction of what the server does. Install wrk "
    "(Debian/Ubuntu: sudo apt-get install -y wrk; macOS: brew install wrk) and run "
    "make bench again."
)


def load_test(
    *,
    user: Any,
    urls: list[str],
    env: dict[str, str],
    clients: int = 10,
    seconds: int = 30,
    preflight: list[str] | None = None,
) -> dict[str, Any]:
    """gunicorn with 2 workers, wrk with ``clients`` connections for ``seconds``.
    ``preflight``: the URLs checked for a 200 first (all of ``urls`` unless given)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cookie = session_cookie(user)
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env},
    )
    try:
        deadline = time.monotonic() + 60
        while fetch(base, BASELINE_URL, "") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)
        # Every URL must answer 200 with the session, not redirect to the login page.
        failed = sum(
            fetch(base, u, cookie) != 200 for u in (urls if preflight is None else preflight)
        )
        rps, errors = run_wrk(base, urls, cookie, clients=clients, seconds=seconds)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {"rps": round(rps, 1), "errors": errors + failed, "load_tool": "wrk"}


# Report --------------------------------------------------------------------------


def table(results: dict[str, Any]) -> str:
    rows = [
        f"{'':<56} {'---- cold (no cache) ----':>25}  {'------- as served -------':>25}",
        f"{'url':<56} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}  {'p50 ms':>8} {'p95 ms':>8}"
        f" {'queries':>7} {'status':>6}",
    ]
    for row in results.get("by_url", []):
        rows.append(
            f"{row['url'][:56]:<56} {row['cold_p50_ms']:>8.1f} {row['cold_p95_ms']:>8.1f} "
            f"{row['cold_queries']:>7}  {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['queries']:>7} {row['status']:>6}"
        )
    rows.append("")
    for key in (
        "profiles",
        "search_p50_ms",
        "search_p95_ms",
        "search_p99_ms",
        "cold_p50_ms",
        "cold_p95_ms",
        "cold_p99_ms",
        "baseline_p50_ms",
        "ratio_p50",
        "queries_per_page",
        "rps",
        "errors",
        "cold_rps",
        "cold_errors",
        "mixed_new_share",
        "mixed_p50_ms",
        "mixed_p95_ms",
        "mixed_p99_ms",
        "mixed_rps",
        "mixed_errors",
        "load_skipped",
        "load_seconds",
        "shared_buffers_mb",
        "prewarmed_mb",
    ):
        if key in results:
            rows.append(f"{key:<20} {results[key]}")
    return "\n".join(rows)


def figures(
    *,
    user: Any,
    urls: list[tuple[str, str]],
    profiles: int,
    warmup: int,
    repeat: int,
    load_env: dict[str, str] | None,
    clients: int = 10,
    seconds: int = 30,
    cold_repeat: int = 10,
    mixed_requests: int = 500,
    seed: int | None = None,
) -> dict[str, Any]:
    """Every figure of the issue; without ``load_env`` the gunicorn phase is skipped.
    ``seed`` draws the mixed replay's new combinations (the clock's by default, so that
    no run finds another run's searches in the cache)."""
    seed = int(time.time()) if seed is None else seed
    results: dict[str, Any] = {"profiles": profiles}
    results.update(
        measure(user=user, urls=urls, warmup=warmup, repeat=repeat, cold_repeat=cold_repeat)
    )
    answered = [r["url"] for r in results["by_url"] if r["status"] == 200]
    briefs = sorted({int(u.split("/")[2]) for u in answered if u.startswith("/briefs/")})
    mixed, new = mixed_urls(answered, mixed_requests, seed=seed, brief_ids=briefs)
    results.update(measure_mixed(user=user, urls=mixed, new=new))
    keys = ("rps", "errors", "cold_rps", "cold_errors", "mixed_rps", "mixed_errors")
    wrk = wrk_path() if load_env is not None else None
    if load_env is None or wrk is None:
        results.update(dict.fromkeys(keys))
        results["load_skipped"] = "--no-load-test" if load_env is None else NO_WRK
        if load_env is not None:
            print(f"\n{'!' * 78}\n{NO_WRK}\n{'!' * 78}\n", file=sys.stderr)
        return results
    # Brief results pages that answered 200 in process (a page past the end is a 404).
    ok = [u for u in answered if u.startswith("/briefs/")]
    results.update(load_test(user=user, urls=ok, env=load_env, clients=clients, seconds=seconds))
    # The same load with the ranking cache off: every request searches and renders.
    cold_env = {**load_env, "SEARCH_CACHE_SECONDS": "0"}
    cold = load_test(user=user, urls=ok, env=cold_env, clients=clients, seconds=seconds)
    results.update(cold_rps=cold["rps"], cold_errors=cold["errors"])
    # The mixed replay under load: enough URLs that no thread comes round again.
    replayed, replayed_new = mixed_urls(ok, 400 * seconds, seed=seed + 1, brief_ids=briefs)
    load = load_test(
        user=user,
        urls=replayed,
        env=load_env,
        clients=clients,
        seconds=seconds,
        preflight=ok[:1],
    )
    results.update(
        mixed_rps=load["rps"],
        mixed_errors=load["errors"],
        mixed_load_new_share=round(replayed_new / len(replayed), 3),
    )
    return results


def write_results(results: dict[str, Any], path: Path) -> None:
    results["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    path.write_text(json.dumps(results, indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--profiles", type=int, default=int(os.environ.get("BENCH_PROFILES", DEFAULT_PROFILES))
    )
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per URL.")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--cold-requests", type=int, default=10, help="Timed uncached requests per URL."
    )
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=30, help="Length of the load test.")
    parser.add_argument("--no-load-test", action="store_true", help="Skip the gunicorn phase.")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    database_url = bench_database_url(args.profiles)
    env = {**PRODUCTION_ENV, "DATABASE_URL": database_url, "REDIS_URL": redis_url()}
    os.environ.update(env)
    manage("migrate", "--noinput", "-v", "0")
    manage("collectstatic", "--noinput", "-v", "0")
    load_seconds = load_profiles(database_url, args.profiles)
    prewarmed = prewarm(database_url)

    import django

    django.setup()
    user, briefs = bench_fixtures()
    urls = bench_urls(briefs)
    results = figures(
        user=user,
        urls=urls,
        profiles=approved_count(database_url),
        warmup=args.warmup,
        repeat=args.requests,
        cold_repeat=args.cold_requests,
        load_env=None if args.no_load_test else env,
        clients=args.clients,
        seconds=args.seconds,
    )
    results["load_seconds"] = round(load_seconds, 1)
    results["prewarmed_mb"] = prewarmed * 8 // 1024
    results["shared_buffers_mb"] = shared_buffers_mb(database_url)
    if results["shared_buffers_mb"] < WANTED_SHARED_BUFFERS_MB // 2:
        print(
            f"note: PostgreSQL has {results['shared_buffers_mb']} MB of shared buffers; at a "
            "million profiles search needs about 5 GB to keep its data there "
            "(ALTER SYSTEM SET shared_buffers = '6GB', then restart it)",
            file=sys.stderr,
        )
    write_results(results, args.output)
    print(table(results))
    print(f"\nwritten to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
