"""ArchivePipeline: keep each article page's HTML, zlib-compressed, in the ``pages`` table.

The spider hands the page over in :attr:`crawler.items.Article.raw_html` (the HTML exactly as extraction read it,
already decoded, with the response's status and kept headers); this pipeline compresses it, drops it from the item (the rest of the chain never carries the
page) and writes the buffered pages every ``STORE_BATCH_SIZE`` items and when the spider closes, one transaction
per batch. One row per canonical article URL; a re-crawl replaces it with the newer page. ``python -m crawler
reextract`` rebuilds articles from these pages after an extractor change, without re-crawling.

Off when ``ARCHIVE_RAW_PAGES`` is false (the spider then attaches no page). Stat: ``archive/pages``.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.corpus.pages import PageRow, page_row, save_pages
from crawler.items import Article
from pipelines.batched import BatchedDatabasePipeline


class ArchivePipeline(BatchedDatabasePipeline):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages: list[PageRow] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        if not crawler.settings.getbool("ARCHIVE_RAW_PAGES", True):
            raise NotConfigured("ARCHIVE_RAW_PAGES is off")
        return super().from_crawler(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Article) and item.raw_html is not None:
            self.pages.append(page_row(item))
            item.raw_html = None
            self.flush_if_full()
        return item

    def buffered(self) -> int:
        return len(self.pages)

    def flush(self) -> None:
        if self.pages:
            save_pages(self.db, self.pages)
            self.stats.inc_value("archive/pages", len(self.pages))
            self.pages.clear()
