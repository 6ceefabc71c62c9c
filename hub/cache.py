"""Django's Redis cache, keeping one Redis client per server instead of making one per call.

Django makes a redis-py client for every cache operation, and redis-py builds a
table of some 170 reply handlers for each new client: that cost as much as the
GET itself when a kept page was served. A client is safe to share between
threads, since each command takes a connection from the pool and gives it back.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClients
