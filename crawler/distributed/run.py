"""SharedRun: the crawl run that all workers of one outlet take part in, as Redis sees it.

Workers come and go on any machine, so nobody is in charge. Each worker registers with a heartbeat and says when
it has requests in hand ("busy": its callbacks may still add requests to the shared queue). From that:

* **when a run starts**: a worker that finds no live worker and an empty queue starts a new run, which clears the
  previous run's request fingerprints, so that robots.txt, sitemaps, feeds and listings are fetched again. A worker
  that finds others joins their run (its own start requests are then dropped as duplicates). A worker that finds
  no one but requests left in the queue resumes an interrupted run.
* **when a run ends**: an idle worker facing an empty queue waits while another worker is busy, and stops when none
  is. Waiting matters: the queue is often empty for a moment while one worker downloads the page (a sitemap) that
  will fill it.

Times are the Redis server's clock (``TIME`` inside Lua scripts), so machines' clocks do not need to agree. A
worker that dies without leaving stops counting after ``STALE_AFTER`` seconds without a heartbeat. Every script
runs atomically, so two workers starting together cannot both start a run.
"""

from __future__ import annotations

import os
import socket
from enum import StrEnum

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

#: What redis-py raises when the server is gone (killed, restarting, unreachable) or does not answer in time.
REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

#: Seconds between two heartbeats of a worker.
HEARTBEAT_INTERVAL = 1.0
#: Seconds without a heartbeat after which a worker is taken for dead (killed, machine lost, stuck).
STALE_AFTER = 15.0

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000\n"

# KEYS: workers, busy, requests, dupefilter. ARGV: worker, stale_after, flush_queue (0/1).
_JOIN = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - ARGV[2])
local others = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], now, ARGV[1])
if others > 0 then return 'joined' end
if ARGV[3] == '1' then redis.call('DEL', KEYS[3]) end
if redis.call('EXISTS', KEYS[3]) == 1 then return 'resumed' end
redis.call('DEL', KEYS[4])
return 'started'
"""
)

# KEYS: workers, busy. ARGV: worker, busy (0/1).
_HEARTBEAT = (
    _NOW
    + """
redis.call('ZADD', KEYS[1], now, ARGV[1])
if ARGV[2] == '1' then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
"""
)

# KEYS: busy. ARGV: worker, stale_after. The caller is idle: drop its mark, count the others still busy.
_OTHERS_BUSY = (
    _NOW
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('ZCOUNT', KEYS[1], now - ARGV[2], '+inf')
"""
)

# KEYS: workers, busy, requests, dupefilter. ARGV: worker, stale_after, clear_when_last (0/1).
_LEAVE = (
    _NOW
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - ARGV[2])
if ARGV[3] == '1' and redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[3], KEYS[4]) end
"""
)


class Joined(StrEnum):
    STARTED = "started"
    JOINED = "joined"
    RESUMED = "resumed"


def worker_id() -> str:
    """Unique among live workers, and tells an operator where a worker runs."""
    return f"{socket.gethostname()}:{os.getpid()}"


class SharedRun:
    def __init__(
        self,
        server: Redis,
        *,
        workers_key: str,
        busy_key: str,
        requests_key: str,
        dupefilter_key: str,
        worker: str | None = None,
    ) -> None:
        self.server = server
        self.worker = worker or worker_id()
        self._run_keys = [workers_key, busy_key, requests_key, dupefilter_key]
        self._presence_keys = [workers_key, busy_key]
        self._join = server.register_script(_JOIN)
        self._heartbeat = server.register_script(_HEARTBEAT)
        self._others_busy = server.register_script(_OTHERS_BUSY)
        self._leave = server.register_script(_LEAVE)

    def join(self, *, flush_queue: bool = False) -> Joined:
        """Register this worker; start, join or resume the run (see the module's docstring). ``flush_queue``
        drops an interrupted run's requests instead of resuming it, but only when no other worker is live."""
        answer = self._join(keys=self._run_keys, args=[self.worker, STALE_AFTER, int(flush_queue)])
        return Joined(answer.decode() if isinstance(answer, bytes) else answer)

    def heartbeat(self, *, busy: bool) -> None:
        self._heartbeat(keys=self._presence_keys, args=[self.worker, int(busy)])

    def mark_busy(self) -> None:
        """Called as a request is taken from the queue, so that no idle worker leaves in the moment between this
        worker taking the last request and its callback queueing what that page links to."""
        self.heartbeat(busy=True)

    def others_busy(self) -> int:
        """How many other live workers are busy; this worker, being idle, stops counting as busy."""
        return int(self._others_busy(keys=self._presence_keys[1:], args=[self.worker, STALE_AFTER]))

    def leave(self, *, clear_when_last: bool = False) -> None:
        """Unregister. ``clear_when_last`` (``SCHEDULER_PERSIST = False``): the last worker to leave deletes the
        queue and the run's fingerprints, so that an interrupted run is not resumed."""
        self._leave(keys=self._run_keys, args=[self.worker, STALE_AFTER, int(clear_when_last)])
