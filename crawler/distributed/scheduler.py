"""The scheduler and dupefilter of the distributed mode: scrapy-redis 0.9.1, adapted to Scrapy 2.19 and to
incremental crawling.

What is kept from scrapy-redis: the shared request queue (``PriorityQueue``, a sorted set of pickled requests
popped atomically) and the Redis fingerprint set. What is changed, and why:

* **Scrapy 2.19**: scrapy-redis passes ``spider=`` to ``StatsCollector.inc_value``, deprecated in Scrapy 2.19
  (a warning per request, an error in a future version): :meth:`SharedScheduler.enqueue_request` and
  :meth:`~SharedScheduler.next_request` are rewritten without it. Nothing else of scrapy-redis needed a change.
* **Fingerprints** are Scrapy's own (``scrapy.utils.request.fingerprint``) instead of scrapy-redis's, so that the
  writer can compute the fingerprint of a stored article's URL without a crawler.
* **Incremental crawling**: the run's fingerprint set cannot simply persist from run to run, or the next run would
  drop its own start requests, listings and feeds, and discover nothing. So there are two sets: the run's (every
  request, cleared when a new run starts) and the outlet's stored articles (published by the writer after each
  committed batch, never cleared). A request is dropped when it is in either: stored articles are not downloaded
  again, discovery pages and pages that failed are fetched again by the next run.
* **Losing Redis** ends the worker's run as a failure (finish reason :data:`REDIS_LOST`, exit code 1): scrapy-redis
  lets every Redis error escape into Scrapy's engine, which logs it and then closes the spider as ``finished``, so
  a run cut short by a dead Redis said it was complete. The pipeline does the same for items it cannot queue.
* **Many workers, one queue**: scrapy-redis's ``SCHEDULER_PERSIST = False`` and ``SCHEDULER_FLUSH_ON_START`` make
  *every* worker clear the shared queue when it stops or starts, under the feet of the others. Here they act only
  when no other worker is live (see :mod:`crawler.distributed.run`), and an idle worker stays while others are busy.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy.utils.request import fingerprint
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler import stats_keys
from crawler.distributed.keys import RedisKeys
from crawler.distributed.run import HEARTBEAT_INTERVAL, REDIS_UNAVAILABLE, SharedRun

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: Seconds between two looks at the shared queue by an idle worker. Scrapy's engine looks every 5 s
#: (``ExecutionEngine._SLOT_HEARTBEAT_INTERVAL``) when the scheduler has nothing; fine for one process, but here
#: requests appear in the queue from other processes, and a worker would sit idle up to 5 s each time.
QUEUE_POLL_INTERVAL = 0.5


#: Finish reason of a worker that lost its Redis server: not a success (crawler/runs.py), so ``scrapy crawl`` exits 1.
REDIS_LOST = "redis_unavailable"


def stop_for_lost_redis(crawler: Crawler, error: Exception) -> None:
    """Close the worker's spider with :data:`REDIS_LOST` (once): without Redis it can neither take requests nor
    queue what it finds, and what it had in hand is lost for this run (the next run rediscovers it)."""
    if crawler.stats.get_value(stats_keys.DISTRIBUTED_REDIS_LOST):
        return
    crawler.stats.set_value(stats_keys.DISTRIBUTED_REDIS_LOST, f"{type(error).__name__}: {error}")
    logger.error("Redis unavailable (%s): this worker stops, its run cut short", error)
    if crawler.engine is not None and crawler.engine.spider is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=REDIS_LOST))


def url_fingerprint(url: str) -> str:
    """The fingerprint of a GET of ``url``: what the dupefilter stores for it, hex."""
    return request_fingerprint(Request(url))


def request_fingerprint(request: Request) -> str:
    return fingerprint(request).hex()


class SharedDupeFilter(RFPDupeFilter):
    """Drops a request already scheduled in this run (by any worker) or whose URL is a stored article."""

    def __init__(self, server, key: str, stored_key: str, debug: bool = False) -> None:
        super().__init__(server, key, debug)
        self.stored_key = stored_key

    @classmethod
    def from_spider(cls, spider: Spider) -> SharedDupeFilter:
        settings = spider.settings
        keys = RedisKeys.of(settings)
        return cls(
            get_redis_from_settings(settings),
            key=keys.dupefilter(spider.name),
            stored_key=keys.stored(spider.name),
            debug=settings.getbool("DUPEFILTER_DEBUG"),
        )

    def request_fingerprint(self, request: Request) -> str:
        return request_fingerprint(request)

    def request_seen(self, request: Request) -> bool:
        request_id = self.request_fingerprint(request)
        # A request the spider marked as a stored article is a deliberate re-check (crawler/incremental.py, on a
        # worker that can read the database): only the run's set applies to it.
        recheck = request.meta.get("stored_article") is not None
        # One round trip; SADD also when stored, harmlessly, to keep the two answers independent.
        with self.server.pipeline(transaction=False) as pipeline:
            pipeline.sismember(self.stored_key, request_id)
            pipeline.sadd(self.key, request_id)
            stored, added = pipeline.execute()
        return (bool(stored) and not recheck) or added == 0


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler taking part in a :class:`~crawler.distributed.run.SharedRun`."""

    crawler: Crawler
    run: SharedRun
    df: Any  # scrapy-redis's dupefilter (untyped), None until open()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        crawler.signals.connect(scheduler.keep_worker_while_others_busy, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        keys = RedisKeys.of(spider.settings)
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=self.queue_key, serializer=self.serializer
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        self.run = SharedRun(
            self.server,
            workers_key=keys.workers(spider.name),
            busy_key=keys.busy(spider.name),
            requests_key=self.queue.key,
            dupefilter_key=self.df.key,
        )
        joined = self.run.join(flush_queue=self.flush_on_start)
        self.stats.set_value(stats_keys.DISTRIBUTED_RUN, joined.value)
        spider.logger.info(
            "Worker %s %s the %s run (%d requests queued)",
            self.run.worker,
            joined.value,
            spider.name,
            len(self.queue),
        )
        # Private engine attribute, read when the engine starts (after this); without it, polling is every 5 s.
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = QUEUE_POLL_INTERVAL
        self.heartbeat = create_looping_call(self._beat)
        self.heartbeat.start(HEARTBEAT_INTERVAL, now=False)

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        try:
            self.run.leave(clear_when_last=not self.persist)
        except REDIS_UNAVAILABLE as error:  # its heartbeat stops: the others count it dead after STALE_AFTER
            logger.warning("Could not unregister from the run, Redis unavailable (%s)", error)

    def _beat(self) -> None:
        engine = self.crawler.engine
        if engine.spider is None:  # closing
            return
        try:
            self.run.heartbeat(busy=not engine.spider_is_idle())
        except REDIS_UNAVAILABLE as error:
            stop_for_lost_redis(self.crawler, error)

    def keep_worker_while_others_busy(self) -> None:
        """``spider_idle`` handler: this worker has nothing to do and the queue is empty, but a busy worker may
        still fill it."""
        try:
            busy = self.run.others_busy()
        except REDIS_UNAVAILABLE as error:
            stop_for_lost_redis(self.crawler, error)
            raise DontCloseSpider from None  # or the engine closes it first, as "finished"
        if busy > 0:
            logger.debug("Queue empty; waiting for %d busy workers", busy)
            raise DontCloseSpider

    def has_pending_requests(self) -> bool:
        try:
            return super().has_pending_requests()
        except REDIS_UNAVAILABLE as error:
            stop_for_lost_redis(self.crawler, error)
            return False

    def enqueue_request(self, request: Request) -> bool:
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                self.stats.inc_value(stats_keys.DUPEFILTER_FILTERED)
                return False
            self.queue.push(request)
        except REDIS_UNAVAILABLE as error:
            stop_for_lost_redis(self.crawler, error)
            return False
        self.stats.inc_value(stats_keys.SCHEDULER_ENQUEUED_REDIS)
        return True

    def next_request(self) -> Request | None:
        # No blocking pop: the reactor must keep serving this worker's downloads while the queue is empty.
        try:
            request = self.queue.pop()
            if request is not None:
                self.run.mark_busy()
        except REDIS_UNAVAILABLE as error:
            stop_for_lost_redis(self.crawler, error)
            return None
        if request is not None:
            self.stats.inc_value(stats_keys.SCHEDULER_DEQUEUED_REDIS)
        return request
