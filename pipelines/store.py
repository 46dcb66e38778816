"""SQLitePipeline: write articles, failures and their raw pages to the database at ``DATABASE_PATH``, in batches.

Items are buffered and written every ``STORE_BATCH_SIZE`` items (and when the spider closes), the whole batch in
one transaction (:func:`crawler.storage.save_batch`), so a crawl costs a few hundred commits rather than one per
page, and an article is never stored without its archived page (nor the page without the article), whatever fails
or kills the process.

The raw page archive: the spider hands each article's page over in :attr:`crawler.items.Article.raw_html` (the
HTML exactly as extraction read it, already decoded; also on the failures the extractor judged, which a later
extractor may read), when ``ARCHIVE_RAW_PAGES`` is on. It is compressed here and dropped from the item (the rest of
the chain never carries the page). One ``pages`` row per canonical URL; a re-crawl replaces it with the newer page.
``python -m crawler reextract`` rebuilds articles from these pages after an extractor change, without re-crawling.

Stats: ``articles/new`` (rows added), ``articles/duplicate`` (already in the database: no row added,
``last_crawled`` refreshed), ``articles/updated`` (stored articles whose text changed: row updated, previous text in
``article_versions``), ``failures/<reason>`` (failure records written), ``archive/pages`` (pages archived) and
``storage/write_errors`` (failed attempts to write a batch: the run then ends ``failed``, crawler/runs.py).
"""

from __future__ import annotations

from typing import Any

from crawler import stats_keys
from crawler.corpus.pages import PageRow, page_row
from crawler.items import Article, PageFailure
from crawler.storage import save_batch
from pipelines.batched import BatchedDatabasePipeline


class SQLitePipeline(BatchedDatabasePipeline):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.articles: list[Article] = []
        self.failures: list[PageFailure] = []
        self.pages: list[PageRow] = []

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article):
            self.articles.append(item)
        elif isinstance(item, PageFailure):
            self.failures.append(item)
        else:
            return item
        if item.raw_html is not None:
            self.pages.append(page_row(item))
            item.raw_html = None
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
            self.stats.inc_value(stats_keys.STORAGE_WRITE_ERRORS)
            raise

    def _write_buffers(self) -> None:
        if not (self.articles or self.failures):
            return
        assert self.db is not None, "opened by open_spider"
        counts = save_batch(self.db, self.articles, self.failures, self.pages)
        new, unchanged = counts
        self.stats.inc_value(stats_keys.ARTICLES_NEW, new)
        self.stats.inc_value(stats_keys.ARTICLES_DUPLICATE, unchanged)
        self.stats.inc_value(stats_keys.ARTICLES_UPDATED, counts.updated)
        self.stats.inc_value(stats_keys.ARCHIVE_PAGES, len(self.pages))
        for failure in self.failures:
            self.stats.inc_value(stats_keys.failures(failure.reason))
        self.articles.clear()
        self.failures.clear()
        self.pages.clear()
