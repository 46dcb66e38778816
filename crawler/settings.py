"""Scrapy settings of the crawler. Every one can be overridden with ``-s NAME=value`` or an environment-specific
settings module; the README lists those that matter."""

BOT_NAME = "vn-news-crawler"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Politeness ------------------------------------------------------------------------------------------------
CONTACT_URL = "https://github.com/vn-news-crawler/vn-news-crawler"
USER_AGENT = f"vn-news-crawler/0.1 (+{CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
HTTPCACHE_ENABLED = False

# --- Offline replicas --------------------------------------------------------------------------------------------
# Base URL of a replica server (``python -m crawler replica``). When set, every request for an outlet is served
# by the replica instead of the live site; spiders, URLs and stored data are the same as for a live crawl.
REPLICA_URL = None
ADDONS = {"crawler.replica_routing.ReplicaRouting": 0}

# --- Storage ----------------------------------------------------------------------------------------------------
# SQLite database the crawl writes to (created with its directory); relative paths are from the working directory.
DATABASE_PATH = "output/articles.db"
# Items written per transaction by the store pipeline.
STORE_BATCH_SIZE = 100

ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.dedupe.DedupePipeline": 200,
    "pipelines.store.SQLitePipeline": 300,
}

LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
