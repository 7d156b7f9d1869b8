"""Django's Redis cache, with one Redis client and one connection pool per server for the whole
process.

Django's own backend makes a new `redis.Redis` object for every cache call (cheap to read, but
about a millisecond of CPU each: it builds its callbacks and retry policy every time), and each
thread and each cache alias ("default", "ratelimit") opens its own pool of connections. On the
machine read paths (the widget's data, the works API and its rate limit) that was the largest
single cost of a cached answer. A Redis client is thread-safe (it takes a connection from its pool
per command), so one per server is shared.
"""
from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.exceptions import NoScriptError

_clients: dict[tuple, object] = {}
_lock = threading.Lock()
# incr() in one round trip: Django's asks EXISTS, then INCR (the public API's rate limit counts on
# every request). A missing key stays missing, as incr() promises.
_INCR_EXISTING = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end return false"


class SharedRedisCacheClient(DjangoRedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        # Same server, same options: same client (the options hold no secrets beyond the URL).
        identity = (self._servers[index], repr(sorted(self._pool_options.items())))
        client = _clients.get(identity)
        if client is None:
            with _lock:
                client = _clients.get(identity)
                if client is None:
                    client = self._client(connection_pool=self._get_connection_pool(write))
                    client.incr_existing = client.register_script(_INCR_EXISTING)
                    _clients[identity] = client
        return client

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = client.incr_existing(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedRedisCacheClient

    def validate_key(self, key):
        """Nothing to check: a Redis key is any string of bytes, of any length.

        Django's base class holds every key to memcached's rules (250 characters, no spaces or
        control characters), a Python loop over its characters: about 5 us a key, for every key
        of every call. Matching forgets four keys for each work whose links a chunk changed, some
        16,000 a chunk, and that loop was a fifth of the forgetting's CPU."""

    def get_many_counted(self, keys: list[str], *, counters: "RedisCache | None" = None, count: str | None = None):
        """`keys`' values in order (None where missing) and, when `count` is given, that counter in
        `counters` incremented (None if not started), all in one round trip (one pipeline).
        portal.front reads a cached answer and counts the rate limit this way. Returns None when
        the counter lives on another Redis server: then the caller asks each cache on its own."""
        if count is not None and (counters is None or counters._servers != self._servers):
            return None
        client = self._cache.get_client(write=True)
        names = [self.make_key(key) for key in keys]
        counter = counters.make_key(count) if count is not None else None
        try:
            replies = _read_and_count(client, names, counter)
        except NoScriptError:  # a restarted server has forgotten the script (nothing was counted)
            client.script_load(_INCR_EXISTING)
            replies = _read_and_count(client, names, counter)
        loads = self._cache._serializer.loads
        values = [None if value is None else loads(value) for value in replies[0]]
        return values, (replies[1] if count is not None else None)


def _read_and_count(client, names: list[str], counter: str | None) -> list:
    pipe = client.pipeline(transaction=False)
    pipe.mget(names)
    if counter is not None:
        # EVALSHA itself: a registered script run in a pipeline first asks the server whether it
        # has the script (SCRIPT EXISTS), a round trip of its own on every request.
        pipe.evalsha(client.incr_existing.sha, 1, counter, 1)
    return pipe.execute()
