"""SQLitePipeline: write articles and failures to the database at ``DATABASE_PATH``, in batches.

Items are buffered and written every ``STORE_BATCH_SIZE`` items (and when the spider closes), each kind in one
transaction, so a crawl costs a few hundred commits rather than one per page. Stats: ``articles/new`` (rows
added), ``articles/duplicate`` (already in the database: no row added, ``last_crawled`` refreshed),
``articles/updated`` (stored articles whose text changed: row updated, previous text in
``article_versions``), ``failures/<reason>`` (failure records written) and ``storage/write_errors`` (batches that could not be written).
"""

from __future__ import annotations

from typing import Any

from crawler.items import Article, PageFailure
from crawler.storage import record_failures, save_articles
from pipelines.batched import BatchedDatabasePipeline


class SQLitePipeline(BatchedDatabasePipeline):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.articles: list[Article] = []
        self.failures: list[PageFailure] = []

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            self.articles.append(item)
        elif isinstance(item, PageFailure):
            self.failures.append(item)
        else:
            return item
        self.flush_if_full()
        return item

    def buffered(self) -> int:
        return len(self.articles) + len(self.failures)

    def flush(self) -> None:
        """Write the buffered items. A failed write is counted in ``storage/write_errors`` and raised, and keeps
        its buffer for the next flush; nothing half-written remains."""
        try:
            self._write_buffers()
        except Exception:
            # Scrapy logs the exception but keeps no stat of it; the stat lets a caller tell a crawl lost items.
            self.stats.inc_value("storage/write_errors")
            raise

    def _write_buffers(self) -> None:
        if self.articles:
            counts = save_articles(self.db, self.articles)
            new, unchanged = counts
            self.stats.inc_value("articles/new", new)
            self.stats.inc_value("articles/duplicate", unchanged)
            self.stats.inc_value("articles/updated", counts.updated)
            self.articles.clear()
        if self.failures:
            record_failures(self.db, self.failures)
            for failure in self.failures:
                self.stats.inc_value(f"failures/{failure.reason}")
            self.failures.clear()
