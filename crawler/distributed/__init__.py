"""Distributed crawling: any number of worker processes, on any number of machines, share one outlet's crawl
through Redis (scrapy-redis), and one writer stores what they find.

Switched on by one setting, ``REDIS_URL`` (or the environment variable of the same name): the
:class:`DistributedCrawling` add-on then

* replaces the scheduler and dupefilter by :mod:`crawler.distributed.scheduler`'s: one request queue and one set
  of request fingerprints per outlet in Redis, so that each URL is fetched once by one of the workers;
* replaces the SQLite store pipeline by :class:`pipelines.redis_queue.RedisQueuePipeline`, which pushes items to
  a Redis list; ``python -m crawler drain`` (:mod:`crawler.distributed.drain`) is the one process that writes them
  to SQLite, and publishes the stored URLs back so that later runs do not download them again.

The spiders are unchanged. Every worker runs the spider's ``start()``; the shared fingerprint set lets the first
copy of each start request through and drops the others, so the seeds are fetched once without a seeding step.
Without ``REDIS_URL`` nothing changes. Keys are listed in :mod:`crawler.distributed.keys`, the run's life cycle
(who starts it, when workers stop) in :mod:`crawler.distributed.run`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from crawler.distributed.keys import RedisKeys

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

REDIS_URL_VARIABLE = "REDIS_URL"

#: Components of the single-machine mode that write to the SQLite database, off in workers.
WRITES_TO_DATABASE = (
    ("ITEM_PIPELINES", "pipelines.neardup.NearDuplicatePipeline"),
    ("EXTENSIONS", "crawler.runs.CrawlRuns"),
)


def redis_url(settings: BaseSettings) -> str | None:
    """The Redis server of the distributed mode: the ``REDIS_URL`` setting, else the environment variable."""
    return settings.get("REDIS_URL") or os.environ.get(REDIS_URL_VARIABLE) or None


class DistributedCrawling:
    """Add-on: with ``REDIS_URL``, crawl through the shared Redis queue and queue items for the writer."""

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        # Imported here: without REDIS_URL, scrapy-redis need not even be installed.
        from pipelines.redis_queue import RedisQueuePipeline
        from pipelines.store import SQLitePipeline

        keys = RedisKeys.of(settings)
        spider = "%(spider)s"  # scrapy-redis fills in the spider name
        for name, value in {
            "REDIS_URL": url,
            "SCHEDULER": "crawler.distributed.scheduler.SharedScheduler",
            "DUPEFILTER_CLASS": "crawler.distributed.scheduler.SharedDupeFilter",
            "SCHEDULER_QUEUE_KEY": keys.requests(spider),
            "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter(spider),
            # Keep an interrupted run's queue and fingerprints, so that workers started later resume it.
            "SCHEDULER_PERSIST": True,
        }.items():
            settings.set(name, value, priority="addon")  # -s NAME=value still wins
        settings.replace_in_component_priority_dict("ITEM_PIPELINES", SQLitePipeline, RedisQueuePipeline)
        # Workers never write SQLite: the writer archives pages (from the queued items) and `python -m crawler
        # dedupe-near` links near-duplicates; `crawl_runs` rows would be one per worker, so none are written.
        for name, path in WRITES_TO_DATABASE:
            switch_off(settings, name, path)


def switch_off(settings: BaseSettings, name: str, path: str) -> None:
    """Disable component ``path`` of the component priority dict ``name``, if it is there."""
    from scrapy.utils.misc import load_object  # here: the CLI imports this package and must stay light

    if path in settings.getdict(name):
        settings.set_in_component_priority_dict(name, load_object(path), None)
