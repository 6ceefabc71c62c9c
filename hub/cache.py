"""Django's Redis cache, keeping one Redis client per server, with publish and subscribe.

Django makes a redis-py client for every cache operation, and redis-py builds a
table of some 170 reply handlers for each new client: that cost as much as the
GET itself when a kept page was served. A client is safe to share between
threads, since each command takes a connection from the pool and gives it back.

Channels are named like keys (prefix and version) and by database, because
Redis delivers a message to every subscriber of a channel whatever database
they use, and two sites may share one server.
"""

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.backoff import NoBackoff
from redis.retry import Retry

# A subscriber's connection that says nothing for this long is checked with a PING.
LISTENER_HEALTH_CHECK_SECONDS = 30


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
        self._channels = {}

    def channel(self, name: str) -> str:
        channel = self._channels.get(name)
        if channel is None:
            database = self._cache.get_client(write=True).get_connection_kwargs().get("db", 0)
            channel = self._channels[name] = f"{self.make_key(name)}@{database}"
        return channel

    def publish(self, name: str, message: str) -> None:
        self._cache.get_client(write=True).publish(self.channel(name), message)

    def subscribe(self, name: str) -> redis.client.PubSub:
        """A subscription to ``name`` on a connection of its own.

        A lost connection raises rather than reconnecting quietly, as redis-py
        otherwise would: a subscriber must know when it may have missed a message.
        """
        client = redis.Redis.from_url(
            self._servers[0],
            retry=Retry(NoBackoff(), 0),
            health_check_interval=LISTENER_HEALTH_CHECK_SECONDS,
            socket_keepalive=True,
        )
        subscription = client.pubsub(ignore_subscribe_messages=False)
        subscription.subscribe(self.channel(name))
        # Once Redis confirms, every later message reaches the subscriber.
        confirmed = subscription.get_message(timeout=LISTENER_HEALTH_CHECK_SECONDS)
        if confirmed is None or confirmed["type"] != "subscribe":
            subscription.close()
            raise redis.ConnectionError(f"Redis did not confirm the subscription to {name}")
        subscription.ignore_subscribe_messages = True
        return subscription
