"""Django's Redis cache with one client object per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call,
and redis-py's constructor copies ~170 response callbacks each time: 8 cache
calls of a built product page cost ~1 ms of Python in constructors alone
(cProfile on the bench's long-tail mix), and every page served from the
cache makes two or three calls. A `redis.Redis` is safe to share between
threads (each command takes a connection from the pool), so one per pool is
kept. CACHE_URL=redis://... selects it (marketplace/settings.py).
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
