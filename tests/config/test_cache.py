"""The cache backend: Django's Redis cache, keeping one client per connection pool."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache, caches

from config.cache import RedisCache


def test_the_project_cache_is_redis_through_the_one_client_backend() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "config.cache.RedisCache"
    assert isinstance(caches["default"], RedisCache)


def test_reads_and_writes_share_one_client_and_keep_working_across_threads() -> None:
    client = caches["default"]._cache  # type: ignore[attr-defined]
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)

    def roundtrip(n: int) -> object:
        cache.set(f"test:cache:{n}", {"n": n}, 30)
        return cache.get(f"test:cache:{n}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(roundtrip, range(40))) == [{"n": n} for n in range(40)]
    cache.delete_many([f"test:cache:{n}" for n in range(40)])
