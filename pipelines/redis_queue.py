"""RedisQueuePipeline: the store of the distributed mode (``REDIS_URL`` set; see :mod:`crawler.distributed`).

Workers do not write to SQLite: they may run on machines without the database, and one writer batching everything
keeps the database to one writing process. Each article and failure is pushed, as JSON
(:mod:`crawler.distributed.codec`), to the end of the project's items list; ``python -m crawler drain`` takes them
from the front and stores them with :mod:`crawler.storage`, whose uniqueness rules decide what is new. Stats:
``redis_queue/article`` and ``redis_queue/failure`` (items pushed), ``redis_queue/lost`` (items that could not be
pushed: Redis was gone; the worker then stops with a failure finish reason, see
:func:`crawler.distributed.scheduler.stop_for_lost_redis`).
"""

from __future__ import annotations

from typing import Any

from redis import Redis
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy_redis.connection import get_redis_from_settings

from crawler import stats_keys
from crawler.distributed.codec import encode_item
from crawler.distributed.keys import RedisKeys
from crawler.distributed.run import REDIS_UNAVAILABLE
from crawler.distributed.scheduler import stop_for_lost_redis
from crawler.items import Article, PageFailure


class RedisQueuePipeline:
    def __init__(self, server: Redis, items_key: str, crawler: Crawler) -> None:
        self.server = server
        self.items_key = items_key
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisQueuePipeline:
        settings = crawler.settings
        return cls(get_redis_from_settings(settings), RedisKeys.of(settings).items, crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, (Article, PageFailure)):
            return item
        # A synchronous push (well under a millisecond on a LAN) is simpler than a thread, and a failure raises
        # here, where Scrapy logs it against the item, instead of being lost.
        try:
            self.server.rpush(self.items_key, encode_item(item))
        except REDIS_UNAVAILABLE as error:
            self.stats.inc_value(stats_keys.REDIS_QUEUE_LOST)
            stop_for_lost_redis(self.crawler, error)
            raise DropItem(f"not queued, Redis unavailable ({error}): {item.url}") from error
        self.stats.inc_value(
            stats_keys.REDIS_QUEUE_ARTICLE if isinstance(item, Article) else stats_keys.REDIS_QUEUE_FAILURE
        )
        return item
