"""NearDuplicatePipeline: when a crawl closes, link the new articles to their near-duplicates.

Stories republished by several outlets (wire copy with small edits) are different rows — exact duplicates are
still stored once by the store — and get the same ``articles.cluster_id`` (see :mod:`crawler.corpus.neardup`).
The work runs on the ``spider_closed`` signal, which Scrapy sends after every pipeline has closed, so the store
has written its last batch. Items pass through untouched. Off when ``NEAR_DUPLICATES`` is false; also available as
``python -m crawler dedupe-near``. Stats: ``near_duplicates/indexed``, ``near_duplicates/linked``.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class NearDuplicatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NearDuplicatePipeline:
        if not crawler.settings.getbool("NEAR_DUPLICATES", True):
            raise NotConfigured("NEAR_DUPLICATES is off")
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return item

    def spider_closed(self) -> None:
        from crawler.corpus.neardup import update_near_duplicates
        from crawler.storage import open_database

        with open_database(self.crawler.settings.get("DATABASE_PATH")) as db:
            indexed, linked = update_near_duplicates(db)
        self.crawler.stats.inc_value("near_duplicates/indexed", indexed)
        self.crawler.stats.inc_value("near_duplicates/linked", linked)
