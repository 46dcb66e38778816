"""DedupePipeline: drop an article this crawl has already produced under another URL, id or the same text.

The same article is reached through several links (listing, sitemap, RSS, host variants); the scheduler's
fingerprint filter only catches identical requests. Here an article is a duplicate when its canonical URL, its
``(outlet, native_id)`` or its text hash was seen earlier in this crawl: the rule of
:func:`crawler.storage.identity_keys`, which the store applies again against the whole database.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from crawler import stats_keys
from crawler.items import Article
from crawler.storage import identity_keys


class DedupePipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.first_url: dict[tuple[str, ...], str] = {}
        """Every identity key seen in this crawl -> the URL of the first article that had it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        keys = identity_keys(item)
        for key in keys:
            if key in self.first_url:
                kind = key[0]
                self.stats.inc_value(stats_keys.dedupe(kind))
                # INFO, not Scrapy's default WARNING: a duplicate is expected, and counted in the stats.
                raise DropItem(f"Duplicate {kind} of {self.first_url[key]}", log_level="INFO")
        for key in keys:
            self.first_url[key] = item.url
        return item
