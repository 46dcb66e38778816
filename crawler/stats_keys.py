"""The names of the crawl's stats (Scrapy's stats collector), each written once: the code that counts and the code
that reads (run outcome, progress, ``crawl_runs``, the tests) use these names, so a renamed key cannot leave a reader
counting nothing. The values are the keys stored in ``crawl_runs.stats`` and documented in the README: changing one
changes the stored data.

Keys that carry a variable part (an outlet, a failure reason, a host) are small functions; their prefixes are
constants for the readers that sum over them."""

from __future__ import annotations

# --- Scrapy's own keys that the crawler reads ------------------------------------------------------------------------
FINISH_REASON = "finish_reason"
REQUEST_COUNT = "downloader/request_count"
RESPONSE_RECEIVED_COUNT = "response_received_count"
RESPONSE_STATUS_COUNT_PREFIX = "downloader/response_status_count/"
EXCEPTION_TYPE_COUNT_PREFIX = "downloader/exception_type_count/"
SPIDER_EXCEPTIONS = "spider_exceptions/count"

# --- discovery and the run's bounds (crawler/spider.py) ------------------------------------------------------------
DISCOVERY_FETCHED = "discovery/fetched"
DISCOVERY_FAILED = "discovery/failed"
BOUND_SITEMAP_DEPTH = "bounds/sitemap_depth"
BOUND_SITEMAPS = "bounds/sitemaps"
BOUND_SITEMAP_URLS = "bounds/sitemap_urls"
BOUND_LISTING_PAGES = "bounds/listing_pages"
BOUND_LISTING_NO_NEW_LINKS = "bounds/listing_no_new_links"
BOUND_NAVIGATION_SECTIONS = "bounds/navigation_sections"
GENERIC_NEXT_PAGES = "discovery/generic_next_pages"
NAVIGATION_SECTIONS = "discovery/navigation/sections"
#: The counts per discovery channel (``sitemap``, ``feed``, ``home``, ``listing``, ``navigation``): pages fetched,
#: pages that failed, article links found (crawler/health.py sums them up).
CHANNEL_COUNTS = ("pages", "failed", "article_links")
DISCOVERY_PREFIX = "discovery/"


def discovery_channel(channel: str, count: str) -> str:
    """The key of ``count`` (one of :data:`CHANNEL_COUNTS`) for a discovery channel."""
    return f"{DISCOVERY_PREFIX}{channel}/{count}"


# --- the run's health (crawler/spider.py, crawler/health.py) --------------------------------------------------------
EXTRACTED_ARTICLES = "extraction/articles"
OUTLET_RULES_PREFIX = "extraction/outlet_rules/"


def outlet_rules_matched(field: str) -> str:
    """Article pages on which the outlet's selectors supplied ``field``."""
    return f"{OUTLET_RULES_PREFIX}{field}"


# --- per outlet (crawler/spider.py) ---------------------------------------------------------------------------------
def extraction_skipped(outlet: str) -> str:
    return f"{outlet}/extraction_skipped"


def undecodable(outlet: str) -> str:
    return f"{outlet}/undecodable"


def too_large(outlet: str) -> str:
    return f"{outlet}/too_large"


def not_article(outlet: str) -> str:
    return f"{outlet}/not_article"


def parse_error(outlet: str) -> str:
    return f"{outlet}/parse_error"


def canonical_untrusted(outlet: str) -> str:
    return f"{outlet}/canonical_untrusted"


def outlet_rules_missed(outlet: str) -> str:
    return f"{outlet}/outlet_rules_missed"


# --- incremental crawling (crawler/incremental.py) -------------------------------------------------------------------
SKIPPED = "incremental/skipped"
SKIPPED_FAILED = "incremental/skipped_failed"
UNARCHIVED = "incremental/unarchived"
RECHECKED = "incremental/rechecked"
NOT_MODIFIED = "incremental/not_modified"
OUT_OF_RANGE = "incremental/out_of_range"
SITEMAPS_SKIPPED = "incremental/sitemaps_skipped"
LISTINGS_STOPPED = "incremental/listings_stopped"

# --- request policy (crawler/middlewares.py) -------------------------------------------------------------------------
RETRY_WAIT_SECONDS = "retry/wait_seconds"
REDIRECT_OFFSITE = "redirect/offsite"
ROBOTSTXT_REUSED = "robotstxt/reused"
ROBOTSTXT_UNAVAILABLE_FORBIDDEN = "robotstxt/unavailable_forbidden"
ROBOTSTXT_TRUNCATED = "robotstxt/truncated"
ROBOTSTXT_UNAVAILABLE_PREFIX = "robotstxt/unavailable/"


def robotstxt_unavailable(host: str) -> str:
    """Set to the reason (e.g. ``http_503``) when the robots.txt of ``host`` could not be read."""
    return f"{ROBOTSTXT_UNAVAILABLE_PREFIX}{host}"


# --- item pipelines (pipelines/) ------------------------------------------------------------------------------------
ARTICLES_NEW = "articles/new"
ARTICLES_DUPLICATE = "articles/duplicate"
ARTICLES_UPDATED = "articles/updated"
ARCHIVE_PAGES = "archive/pages"
STORAGE_WRITE_ERRORS = "storage/write_errors"
NEAR_DUPLICATES_INDEXED = "near_duplicates/indexed"
NEAR_DUPLICATES_LINKED = "near_duplicates/linked"
FAILURES_PREFIX = "failures/"


def failures(reason: str) -> str:
    """Failure rows written for ``reason`` (a :class:`~crawler.items.FailureReason` value)."""
    return f"{FAILURES_PREFIX}{reason}"


def dedupe(kind: str) -> str:
    """Articles dropped within the crawl as duplicates by ``kind``: ``url``, ``native_id`` or ``text_hash``."""
    return f"dedupe/{kind}"


# --- runs and jobs (crawler/runs.py) ---------------------------------------------------------------------------------
PIPELINE_ITEM_ERRORS = "pipeline/item_errors"
CRAWL_RUN_ID = "crawl_runs/id"
JOBDIR_RESET_AFTER_CRASH = "jobdir/reset_after_crash"
JOBDIR_RESUMED = "jobdir/resumed"

# --- distributed mode (crawler/distributed/, pipelines/redis_queue.py) ---------------------------------------------
DISTRIBUTED_REDIS_LOST = "distributed/redis_lost"
DISTRIBUTED_RUN = "distributed/run"
DUPEFILTER_FILTERED = "dupefilter/filtered"
SCHEDULER_ENQUEUED_REDIS = "scheduler/enqueued/redis"
SCHEDULER_DEQUEUED_REDIS = "scheduler/dequeued/redis"
REDIS_QUEUE_LOST = "redis_queue/lost"
REDIS_QUEUE_ARTICLE = "redis_queue/article"
REDIS_QUEUE_FAILURE = "redis_queue/failure"
