"""The writer of the distributed mode (``python -m crawler drain``): the one process that stores what the workers
queued in Redis, in batches, with :mod:`crawler.storage`.

Each batch is moved from the items list to a "writing" list (``BLMOVE``, then a script for the rest of the batch),
written in SQLite, then deleted from Redis. A writer killed in between leaves its batch in the writing list, and
the next writer writes it again first: nothing is lost, and storage's uniqueness rules make the replay add no
article twice (a replayed failure counts one more attempt). Hence **one** writer per Redis and project.

After each batch, and once at start for the whole database, the writer publishes the fingerprints of the stored
articles' URLs to their outlet's "stored" set, which the workers' dupefilter reads: stored articles are not
downloaded again, even after Redis was emptied.

Faults. Redis gone (killed, restarting, network): the writer waits and reconnects, with exponential backoff up to
:data:`RECONNECT_MAX_WAIT`, logging one warning per outage; when Redis answers again it replays its writing list
and publishes the stored articles again (a restarted Redis may have lost them). An entry it cannot read, or an item
the store cannot take (a ``fetched_at`` that is not a time ...), goes to the rejected list as
``{"reason": ..., "entry": ...}`` and the rest of its batch is stored: one bad item must not stop the corpus, nor
be retried for ever. An error of the database itself (locked for too long, disk full) is no item's fault: the
writer stops, and the batch stays in the writing list for the next one.

Stopping. A :class:`StopRequest` (made by SIGINT or SIGTERM in ``python -m crawler drain``) is honoured within about
a second whatever the writer is doing: it finishes the batch in hand, and every wait is bounded (``BLMOVE`` by
:data:`WAIT_SECONDS`, a Redis that does not answer by :data:`REDIS_TIMEOUT`) or cut short by the request (the
reconnection backoff). Only a batch waiting for another process's write lock on the database waits longer (up to
storage's busy timeout). The request is a flag, not an exception: a ``KeyboardInterrupt`` raised by the signal
lands in whatever Python code runs at that moment, and when that is a finalizer (redis-py's ``Pipeline.__del__``
runs after each batch) Python prints the exception and drops it, and the writer would run on for ever.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import sqlite_utils
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from crawler.corpus.pages import page_row
from crawler.distributed.codec import QueuedItem, decode_item
from crawler.distributed.keys import RedisKeys
from crawler.distributed.run import REDIS_UNAVAILABLE, STALE_AFTER
from crawler.distributed.scheduler import url_fingerprint
from crawler.items import Article, PageFailure
from crawler.storage import save_batch

logger = logging.getLogger(__name__)

#: Longest single wait for the first item of a batch; bounds how late ``until_idle`` and a stop request are noticed.
WAIT_SECONDS = 1
#: Longest wait for Redis to accept a connection, or to answer beyond a command's own wait: bounds how late a stop
#: request is noticed when Redis hangs or the network drops packets (a stopped Redis refuses at once).
REDIS_TIMEOUT = 5.0
#: Fingerprints sent to Redis per round trip when publishing the whole database.
PUBLISH_CHUNK = 5_000
#: Waits between two attempts to reach a lost Redis: the first, doubled after each failure up to the last.
RECONNECT_FIRST_WAIT = 0.5
RECONNECT_MAX_WAIT = 30.0
#: Errors that are the database's, not an item's: the batch stays in Redis and the writer stops.
DATABASE_ERRORS = (sqlite3.OperationalError,)


class RedisUnavailable(Exception):
    """Redis stayed unreachable until the writer's ``until_idle`` ran out."""


class StopRequest:
    """Asks the writer to stop, from a signal handler or another thread, and cuts its waits short.

    A signal handler runs between two bytecodes of whatever the main thread executes, so requesting must be safe
    anywhere, even inside the waiting code: it sets a flag and puts a token in a :class:`queue.SimpleQueue`, whose
    ``put`` is reentrant (a ``threading.Event.set`` there could deadlock on the lock its ``wait`` holds)."""

    def __init__(self) -> None:
        self._requested = False
        self._wake_up: queue.SimpleQueue[None] = queue.SimpleQueue()

    @property
    def requested(self) -> bool:
        return self._requested

    def request(self) -> None:
        self._requested = True
        self._wake_up.put(None)

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds``, or until a stop is requested; True when it was."""
        if not self._requested:
            with contextlib.suppress(queue.Empty):  # the time is up
                self._wake_up.get(timeout=seconds)
        return self._requested


def redis_client(url: str) -> Redis:
    """The writer's Redis client. redis-py does not retry on its own (the writer's :meth:`ItemsDrain._reconnect`
    does, noticing a stop request between attempts), and no socket wait is longer than a command's own wait plus
    :data:`REDIS_TIMEOUT`."""
    return Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT,
        socket_timeout=WAIT_SECONDS + REDIS_TIMEOUT,
        retry=Retry(NoBackoff(), retries=0),
    )


# KEYS: items, writing. ARGV: how many. Moves up to ARGV[1] items from the front of one list to the other.
_TAKE = """
local batch = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #batch > 0 then
  redis.call('LTRIM', KEYS[1], #batch, -1)
  redis.call('RPUSH', KEYS[2], unpack(batch))
end
return #batch
"""


@dataclass
class DrainTotals:
    articles_new: int = 0
    articles_known: int = 0
    articles_updated: int = 0
    failures: int = 0
    pages: int = 0
    rejected: int = 0
    batches: int = 0

    def __str__(self) -> str:
        return (
            f"{self.batches} batches: {self.articles_new} new articles, {self.articles_known} already stored, "
            f"{self.articles_updated} updated (text changed), {self.failures} failures recorded, "
            f"{self.pages} pages archived, {self.rejected} entries rejected (unreadable or not storable)"
        )


class ItemsDrain:
    def __init__(
        self,
        server: Redis,
        db: sqlite_utils.Database,
        keys: RedisKeys,
        batch_size: int = 100,
        stop: StopRequest | None = None,
    ) -> None:
        self.server = server
        self.db = db
        self.keys = keys
        self.batch_size = max(1, batch_size)
        self.stop = stop or StopRequest()
        self.totals = DrainTotals()
        self._take = server.register_script(_TAKE)

    def run(self, until_idle: float | None = None) -> DrainTotals:
        """Write batches as they come, until a stop is requested. With ``until_idle``, return once there was
        neither an item nor a live worker for that many seconds: the crawl is over and everything it found is
        stored. Redis lost on the way is waited for (:meth:`_reconnect`); :class:`RedisUnavailable` when it is
        still gone after ``until_idle``."""
        last_activity = time.monotonic()
        resumed = False
        while not self.stop.requested and (until_idle is None or time.monotonic() - last_activity < until_idle):
            try:
                if not resumed:
                    self.publish_stored_articles()
                    self._write_taken()  # what a previous writer took but may not have committed
                    resumed = True
                if self._take_batch():
                    self._write_taken()
                    last_activity = time.monotonic()
                elif self.workers_live():
                    last_activity = time.monotonic()
            except REDIS_UNAVAILABLE as error:
                self._reconnect(error, deadline=None if until_idle is None else last_activity + until_idle)
                resumed = False  # a restarted Redis may have lost the stored sets; the writing list is replayed
        if self.stop.requested:
            logger.info("Stopped on request")
        return self.totals

    def _reconnect(self, error: Exception, deadline: float | None) -> None:
        """Wait until Redis answers again, or a stop is requested, with exponential backoff; one warning for the
        outage."""
        logger.warning(
            "Redis unavailable (%s); reconnecting, every %.1f s at first and %.0f s at most",
            error,
            RECONNECT_FIRST_WAIT,
            RECONNECT_MAX_WAIT,
        )
        started, wait = time.monotonic(), RECONNECT_FIRST_WAIT
        while True:
            if deadline is not None and time.monotonic() + wait > deadline:
                raise RedisUnavailable(f"Redis still unavailable after {time.monotonic() - started:.0f} s ({error})")
            if self.stop.wait(wait):
                return
            try:
                self.server.ping()
            except REDIS_UNAVAILABLE:
                wait = min(wait * 2, RECONNECT_MAX_WAIT)
                continue
            logger.info("Redis is back after %.1f s", time.monotonic() - started)
            return

    def workers_live(self) -> int:
        """Workers of any outlet with a recent heartbeat (see :mod:`crawler.distributed.run`)."""
        seconds, microseconds = self.server.time()
        fresh_since = seconds + microseconds / 1e6 - STALE_AFTER
        return sum(
            self.server.zcount(key, fresh_since, "+inf")
            for key in self.server.scan_iter(match=self.keys.workers("*"), _type="zset")
        )

    def publish_stored_articles(self) -> int:
        """Publish the fingerprint of every stored article's URL to its outlet's stored set; return how many."""
        rows = self.db.execute("SELECT outlet, url, fetched_url FROM articles")
        published = 0
        while not self.stop.requested and (chunk := rows.fetchmany(PUBLISH_CHUNK)):
            published += self._publish(chunk)
        logger.info("Published %d stored articles to Redis", published)
        return published

    def _take_batch(self) -> int:
        """Move the next batch to the writing list, waiting up to WAIT_SECONDS for its first item."""
        if self.server.blmove(self.keys.items, self.keys.items_writing, WAIT_SECONDS, "LEFT", "RIGHT") is None:
            return 0
        return 1 + int(self._take(keys=[self.keys.items, self.keys.items_writing], args=[self.batch_size - 1]))

    def _write_taken(self) -> None:
        # bytes: the connection does not decode responses (redis-py types lrange for both kinds of connection)
        entries = cast("list[bytes]", self.server.lrange(self.keys.items_writing, 0, -1))
        if not entries:
            return
        items = self._decode(entries)
        try:
            self._store([item for _, item in items])
        except (*DATABASE_ERRORS, *REDIS_UNAVAILABLE):
            raise
        except Exception:  # an item the store cannot take: find it, store the others one by one
            for entry, item in items:
                try:
                    self._store([item])
                except (*DATABASE_ERRORS, *REDIS_UNAVAILABLE):
                    raise
                except Exception as error:
                    self._reject(entry, f"not storable: {type(error).__name__}: {error}")
        self.server.delete(self.keys.items_writing)  # committed: the batch is done
        self.totals.batches += 1
        logger.info("Stored a batch of %d items", len(entries))

    def _store(self, items: list[QueuedItem]) -> None:
        articles = [item for item in items if isinstance(item, Article)]
        failures = [item for item in items if isinstance(item, PageFailure)]
        # Articles, failures and the pages they carry in one transaction, as the single-machine store writes them.
        pages = [page_row(item) for item in items if item.raw_html is not None]
        counts = save_batch(self.db, articles, failures, pages)
        new, known = counts
        self.totals.articles_new += new
        self.totals.articles_known += known
        self.totals.articles_updated += counts.updated
        self.totals.pages += len(pages)
        self.totals.failures += len(failures)
        if articles:
            self._publish((article.outlet, article.url, article.fetched_url) for article in articles)

    def _decode(self, entries: Iterable[bytes]) -> list[tuple[bytes, QueuedItem]]:
        items = []
        for entry in entries:
            try:
                items.append((entry, decode_item(entry)))
            except ValueError as error:
                self._reject(entry, f"unreadable: {error}")
        return items

    def _reject(self, entry: bytes, reason: str) -> None:
        """Set ``entry`` aside in the rejected list, with why: retried for ever, it would stop the corpus."""
        logger.error("Queued item rejected (%s), moved to %s", reason, self.keys.items_rejected)
        text = entry.decode("utf-8", "replace") if isinstance(entry, bytes) else entry
        self.server.rpush(self.keys.items_rejected, json.dumps({"reason": reason, "entry": text}, ensure_ascii=False))
        self.totals.rejected += 1

    def _publish(self, stored: Iterable[tuple[str, str, str | None]]) -> int:
        """SADD the fingerprints of (outlet, url, fetched_url) to the outlets' stored sets; return how many
        articles. The fetched URL too: when a page's canonical URL is another, links lead to the fetched one."""
        by_outlet: dict[str, set[str]] = defaultdict(set)
        count = 0
        for outlet, url, fetched_url in stored:
            count += 1
            by_outlet[outlet].update(url_fingerprint(u) for u in (url, fetched_url) if u)
        with self.server.pipeline(transaction=False) as pipeline:
            for outlet, fingerprints in by_outlet.items():
                pipeline.sadd(self.keys.stored(outlet), *fingerprints)
            pipeline.execute()
        return count
