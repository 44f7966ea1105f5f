"""The benchmark's measuring phase on a tiny database: it runs and reports every key."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from bench import run

pytestmark = pytest.mark.django_db

KEYS = {
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
    "mixed_new_share",
    "mixed_p95_ms",
    "mixed_rps",
    "load_skipped",
}


def test_the_robots_page_is_plain_text(client: Client) -> None:
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()


def test_there_are_at_least_twenty_briefs_and_twenty_urls() -> None:
    user, briefs = run.bench_fixtures()

    assert len(briefs) >= 20
    assert len(run.bench_urls(briefs)) >= 20
    assert all(brief.company.memberships.filter(user=user).exists() for brief, _ in briefs[:1])


def test_measuring_a_tiny_database_writes_every_figure(tmp_path: Path) -> None:
    call_command("generate_engineers", count=50, seed=1, stdout=io.StringIO(), stderr=io.StringIO())
    user, briefs = run.bench_fixtures()
    urls = [u for u in run.bench_urls(briefs) if "page=1&" in u[0]][:2] + run.ADHOC[:1]

    results = run.figures(
        user=user, urls=urls, profiles=50, warmup=1, repeat=3, cold_repeat=2, load_env=None
    )
    run.write_results(results, tmp_path / "results.json")

    assert json.loads((tmp_path / "results.json").read_text()).keys() >= KEYS
    assert [row["status"] for row in results["by_url"]] == [200, 200, 200]
    assert 0 < results["queries_per_page"] <= 8
    assert results["mixed_p95_ms"] > 0 and results["mixed_errors_in_process"] == 0
    assert results["search_p50_ms"] > 0 and results["cold_p50_ms"] > 0
    assert results["ratio_p50"] > 0
    assert "search_p95_ms" in run.table(results)


def test_the_mixed_replay_repeats_recent_searches_and_asks_new_ones_at_the_stated_share() -> None:
    start = ["/briefs/1/results/?page=1&sort=match", "/search/?skills=go"]

    urls, new = run.mixed_urls(start, 2000, seed=7, share=0.2, brief_ids=[1])

    assert len(urls) == 2000
    assert 0.17 < new / len(urls) < 0.23
    firsts = {}
    for n, url in enumerate(urls):
        firsts.setdefault(url, n)
    assert len(firsts) - len(set(start) & set(urls)) == new  # each new one is asked once first
    repeats = [url for n, url in enumerate(urls) if firsts[url] < n or url in start]
    assert len(repeats) == len(urls) - new
    # Another seed (another run) asks other new combinations.
    others, _ = run.mixed_urls(start, 2000, seed=8, share=0.2, brief_ids=[1])
    assert not (set(urls) - set(start)) & (set(others) - set(start))


def test_without_wrk_the_load_phase_is_skipped_loudly_and_reports_no_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("generate_engineers", count=20, seed=1, stdout=io.StringIO(), stderr=io.StringIO())
    user, briefs = run.bench_fixtures()
    urls = [u for u in run.bench_urls(briefs) if "page=1&" in u[0]][:1]
    monkeypatch.setattr(run, "wrk_path", lambda: None)
    started = []
    monkeypatch.setattr(run, "load_test", lambda **kwargs: started.append(kwargs))

    results = run.figures(
        user=user,
        urls=urls,
        profiles=20,
        warmup=1,
        repeat=2,
        cold_repeat=1,
        load_env={"DEBUG": "false"},
        mixed_requests=20,
    )

    assert started == []
    assert results["rps"] is None and results["cold_rps"] is None and results["mixed_rps"] is None
    assert results["load_skipped"] == run.NO_WRK
    assert "apt-get install -y wrk" in capsys.readouterr().err
