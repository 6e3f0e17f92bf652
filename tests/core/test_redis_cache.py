"""core.redis_cache: Django's Redis cache, one client per pool."""

import pytest
from django.core.cache.backends.redis import RedisCache

from core.redis_cache import SharedClientRedisCache

redis = pytest.importorskip("redis")


def _cache():
    return SharedClientRedisCache("redis://127.0.0.1:6379/7", {"KEY_PREFIX": "kb-test-shared"})


def test_it_is_djangos_redis_cache_and_reuses_its_client():
    cache = _cache()
    assert isinstance(cache, RedisCache)
    try:
        cache.set("a", {"x": 1}, 30)
        cache.set_many({"b": 2, "c": 3}, 30)
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert cache.get("a") == {"x": 1}
    assert cache.get_many(["b", "c", "d"]) == {"b": 2, "c": 3}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete_many(["a", "b", "c"])
