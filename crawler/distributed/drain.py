"""The writer of the distributed mode (``python -m crawler drain``): the one process that stores what the workers
queued in Redis, in batches, with :mod:`crawler.storage`.

Each batch is moved from the items list to a "writing" list (``BLMOVE``, then a script for the rest of the batch),
written in SQLite, then deleted from Redis. A writer killed in between leaves its batch in the writing list, and
the next writer writes it again first: nothing is lost, and storage's uniqueness rules make the replay add no
article twice (a replayed failure counts one more attempt). Hence **one** writer per Redis and project.

After each batch, and once at start for the whole database, the writer publishes the fingerprints of the stored
articles' URLs to their outlet's "stored" set, which the workers' dupefilter reads: stored articles are not
downloaded again, even after Redis was emptied.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils
from redis import Redis

from crawler.corpus.pages import page_row, save_pages
from crawler.distributed.codec import QueuedItem, decode_item
from crawler.distributed.keys import RedisKeys
from crawler.distributed.run import STALE_AFTER
from crawler.distributed.scheduler import url_fingerprint
from crawler.items import Article, PageFailure
from crawler.storage import record_failures, save_articles

logger = logging.getLogger(__name__)

#: Longest single wait for the first item of a batch; bounds how late ``until_idle`` is noticed.
WAIT_SECONDS = 1
#: Fingerprints sent to Redis per round trip when publishing the whole database.
PUBLISH_CHUNK = 5_000

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
        return (f"{self.batches} batches: {self.articles_new} new articles, {self.articles_known} already stored, "
                f"{self.articles_updated} updated (text changed), {self.failures} failures recorded, "
                f"{self.pages} pages archived, {self.rejected} unreadable entries set aside")


class ItemsDrain:
    def __init__(self, server: Redis, db: sqlite_utils.Database, keys: RedisKeys, batch_size: int = 100) -> None:
        self.server = server
        self.db = db
        self.keys = keys
        self.batch_size = max(1, batch_size)
        self.totals = DrainTotals()
        self._take = server.register_script(_TAKE)

    def run(self, until_idle: float | None = None) -> DrainTotals:
        """Write batches as they come. With ``until_idle``, return once there was neither an item nor a live
        worker for that many seconds: the crawl is over and everything it found is stored."""
        self.publish_stored_articles()
        self._write_taken()  # what a previous writer took but may not have committed
        last_activity = time.monotonic()
        while until_idle is None or time.monotonic() - last_activity < until_idle:
            if self._take_batch():
                self._write_taken()
                last_activity = time.monotonic()
            elif self.workers_live():
                last_activity = time.monotonic()
        return self.totals

    def workers_live(self) -> int:
        """Workers of any outlet with a recent heartbeat (see :mod:`crawler.distributed.run`)."""
        seconds, microseconds = self.server.time()
        fresh_since = seconds + microseconds / 1e6 - STALE_AFTER
        return sum(self.server.zcount(key, fresh_since, "+inf")
                   for key in self.server.scan_iter(match=self.keys.workers("*"), _type="zset"))

    def publish_stored_articles(self) -> int:
        """Publish the fingerprint of every stored article's URL to its outlet's stored set; return how many."""
        rows = self.db.execute("SELECT outlet, url, fetched_url FROM articles")
        published = 0
        while chunk := rows.fetchmany(PUBLISH_CHUNK):
            published += self._publish(chunk)
        logger.info("Published %d stored articles to Redis", published)
        return published

    def _take_batch(self) -> int:
        """Move the next batch to the writing list, waiting up to WAIT_SECONDS for its first item."""
        if self.server.blmove(self.keys.items, self.keys.items_writing, WAIT_SECONDS, "LEFT", "RIGHT") is None:
            return 0
        return 1 + int(self._take(keys=[self.keys.items, self.keys.items_writing], args=[self.batch_size - 1]))

    def _write_taken(self) -> None:
        entries = self.server.lrange(self.keys.items_writing, 0, -1)
        if not entries:
            return
        articles, failures = self._decode(entries)
        if articles:
            pages = [page_row(article) for article in articles if article.raw_html is not None]
            counts = save_articles(self.db, articles)
            new, known = counts
            self.totals.articles_new += new
            self.totals.articles_known += known
            self.totals.articles_updated += counts.updated
            if pages:  # what pipelines/archive.py does in the single-machine mode
                save_pages(self.db, pages)
                self.totals.pages += len(pages)
            self._publish((article.outlet, article.url, article.fetched_url) for article in articles)
        if failures:
            record_failures(self.db, failures)
            self.totals.failures += len(failures)
        self.server.delete(self.keys.items_writing)  # committed: the batch is done
        self.totals.batches += 1
        logger.info("Stored a batch of %d items (%d articles, %d failures)", len(entries), len(articles),
                    len(failures))

    def _decode(self, entries: Iterable[bytes]) -> tuple[list[Article], list[PageFailure]]:
        articles: list[Article] = []
        failures: list[PageFailure] = []
        for entry in entries:
            try:
                item: QueuedItem = decode_item(entry)
            except ValueError as error:
                # Set aside rather than retried forever: one bad entry must not stop the corpus.
                logger.error("Unreadable queued item (%s), moved to %s", error, self.keys.items_rejected)
                self.server.rpush(self.keys.items_rejected, entry)
                self.totals.rejected += 1
                continue
            (articles if isinstance(item, Article) else failures).append(item)
        return articles, failures

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
