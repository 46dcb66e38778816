"""NearDuplicatePipeline: link the articles a crawl stores to their near-duplicates, batch by batch.

Stories republished by several outlets (wire copy with small edits) are different rows — exact duplicates are
still stored once by the store — and get the same ``articles.cluster_id`` (see :mod:`crawler.corpus.neardup`).

The linking runs after each batch the store wrote (the ``articles/new`` stat moved) and once more on the
``spider_closed`` signal, which Scrapy sends after every pipeline has closed, so the store's last batch is linked
too. Batch by batch, each write transaction links about one batch (a few milliseconds) and the other spiders'
stores never wait long for the lock; left to the close, the first spider to finish would link every outlet's
articles in one transaction. The result is the same: clusters do not depend on the order in which articles are
signed, and each spider signs its own outlet's.

Items pass through untouched. Off when ``NEAR_DUPLICATES`` is false; ``NEAR_DUPLICATE_WINDOW_DAYS`` sets how far
apart two articles may be published and still be compared. Also available as ``python -m crawler dedupe-near``.
Stats: ``near_duplicates/indexed``, ``near_duplicates/linked``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import stats_keys

if TYPE_CHECKING:
    import sqlite_utils


class NearDuplicatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db: sqlite_utils.Database | None = None
        self.stored_when_linked = 0
        """The ``articles/new`` stat at the last linking: when it has moved, the store wrote a batch."""
        self.linked_after = 0
        """Article ids up to this one were in the database at the last linking: the next looks only above it (the
        first, and the one at the close, look at every article of the outlet)."""
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NearDuplicatePipeline:
        if not crawler.settings.getbool("NEAR_DUPLICATES", True):
            raise NotConfigured("NEAR_DUPLICATES is off")
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if self.crawler.stats.get_value(stats_keys.ARTICLES_NEW, 0) > self.stored_when_linked:
            self.link()
        return item

    def link(self, everything: bool = False) -> None:
        """Sign this outlet's stored articles not signed yet and link them to their near-duplicates (of any
        outlet). Each spider signs its own: signing all outlets' pending articles in every process would do the
        same work once per spider. ``everything``: also look below the previous linking's newest id (ids only
        grow, so new rows are above it; an older article whose text changed is not)."""
        from crawler.corpus.neardup import WINDOW_DAYS, update_near_duplicates
        from crawler.storage import open_database

        if self.db is None:
            self.db = open_database(self.crawler.settings["DATABASE_PATH"])
        self.stored_when_linked = self.crawler.stats.get_value(stats_keys.ARTICLES_NEW, 0)
        newest = self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        after = 0 if everything else self.linked_after
        window = max(0, self.crawler.settings.getint("NEAR_DUPLICATE_WINDOW_DAYS", WINDOW_DAYS))
        indexed, linked = update_near_duplicates(self.db, self.crawler.spidercls.name, after, window)
        self.linked_after = newest
        self.crawler.stats.inc_value(stats_keys.NEAR_DUPLICATES_INDEXED, indexed)
        self.crawler.stats.inc_value(stats_keys.NEAR_DUPLICATES_LINKED, linked)

    def spider_closed(self) -> None:
        try:
            self.link(everything=True)
        finally:
            if self.db is not None:
                self.db.close()
                self.db = None
