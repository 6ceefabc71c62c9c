"""The Redis cache keeps one client per server and works as Django's does."""

import pytest
import redis
from django.core.cache import caches

REDIS_DATABASE = "redis://127.0.0.1:6379/5"


@pytest.fixture
def redis_cache(settings):
    redis.Redis.from_url(REDIS_DATABASE).flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "hub.cache.RedisCache", "LOCATION": REDIS_DATABASE},
    }
    yield caches["shared"]
    redis.Redis.from_url(REDIS_DATABASE).flushdb()


def test_one_client_serves_every_call(redis_cache):
    redis_cache.set("first", "one", 30)
    client = redis_cache._cache.get_client()

    assert redis_cache.get_many(["first", "missing"]) == {"first": "one"}
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client


def test_it_stores_reads_adds_and_counts_as_djangos_does(redis_cache):
    assert redis_cache.add("count", 1, 30)
    assert not redis_cache.add("count", 5, 30)
    assert redis_cache.incr("count") == 2
    redis_cache.set("page", {"content": b"<html>"}, 30)

    assert redis_cache.get("page") == {"content": b"<html>"}
    assert redis_cache.get("count") == 2
