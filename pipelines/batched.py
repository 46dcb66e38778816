"""BatchedDatabasePipeline: the frame of a pipeline that buffers items and writes them to the database at
``DATABASE_PATH`` every ``STORE_BATCH_SIZE`` items and when the spider closes, one transaction per batch (the store,
pipelines/store.py, which writes articles, failures and their archived pages together)."""

from __future__ import annotations

import sqlite_utils
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from crawler.storage import open_database

DEFAULT_BATCH_SIZE = 100


class BatchedDatabasePipeline:
    """Subclasses buffer in ``process_item``, call :meth:`flush_if_full`, and write their buffers in
    :meth:`flush`."""

    def __init__(self, database_path: str, batch_size: int, stats: StatsCollector) -> None:
        self.database_path = database_path
        self.batch_size = batch_size
        self.stats = stats
        self.db: sqlite_utils.Database | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler):
        settings = crawler.settings
        return cls(
            database_path=settings.get("DATABASE_PATH"),
            batch_size=max(1, settings.getint("STORE_BATCH_SIZE", DEFAULT_BATCH_SIZE)),
            stats=crawler.stats,
        )

    def open_spider(self) -> None:
        self.db = open_database(self.database_path)

    def close_spider(self) -> None:
        try:
            self.flush()
        finally:
            if self.db is not None:
                self.db.close()

    def buffered(self) -> int:
        raise NotImplementedError

    def flush_if_full(self) -> None:
        if self.buffered() >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        raise NotImplementedError
