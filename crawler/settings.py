"""Scrapy settings of the crawler. Every one can be overridden with ``-s NAME=value`` or an environment-specific
settings module; the README lists those that matter."""

BOT_NAME = "vn-news-crawler"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# One spider per outlet of the registry (spiders/__init__.py); a broken outlet module is one line, exit code 1.
SPIDER_LOADER_CLASS = "crawler.spider_loader.OutletSpiderLoader"
# `scrapy crawl` checks the outlet spiders' arguments and the database before it starts, and exits 1 when the run's
# status is not ok (crawler/scrapy_commands/crawl.py).
COMMANDS_MODULE = "crawler.scrapy_commands"

# --- Politeness ------------------------------------------------------------------------------------------------
# Where site owners can reach the operator. USER_AGENT is built from it when the crawler starts
# (crawler/politeness.py), so `-s CONTACT_URL=...` changes the User-Agent too; an explicit `-s USER_AGENT=` wins.
CONTACT_URL = "https://github.com/vn-news-crawler/vn-news-crawler"
USER_AGENT_TEMPLATE = "vn-news-crawler/0.1 (+{contact_url})"
USER_AGENT = USER_AGENT_TEMPLATE.format(contact_url=CONTACT_URL)
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
# Waits before a retry (crawler/middlewares.py): the server's Retry-After on 429/503, else RETRY_BACKOFF_BASE * 2^n
# seconds; never longer than RETRY_AFTER_MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_AFTER_MAX = 120.0
# robots.txt (RFC 9309): bytes of it parsed at most (the RFC asks for at least 500 KiB; a larger file is cut there,
# not dropped), and the longest wait before retrying its download, which holds every request of the site.
ROBOTSTXT_MAX_SIZE = 512 * 1024
ROBOTSTXT_RETRY_WAIT_MAX = 5.0
DOWNLOADER_MIDDLEWARES = {
    # Scrapy's lets requests sent while robots.txt downloads through unchecked (crawler/middlewares.py).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.SharedRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.LoopAwareRedirectMiddleware": 600,
    "crawler.incremental.ConditionalRequests": 450,
}
HTTPCACHE_ENABLED = False

# --- Offline replicas --------------------------------------------------------------------------------------------
# Base URL of a replica server (``python -m crawler replica``). When set, every request for an outlet is served
# by the replica instead of the live site; spiders, URLs and stored data are the same as for a live crawl.
REPLICA_URL = None
ADDONS = {
    "crawler.replica_routing.ReplicaRouting": 0,
    "crawler.politeness.ContactUserAgent": 0,
    # With REDIS_URL (setting or environment variable): workers share the crawl through Redis (crawler/distributed/).
    "crawler.distributed.DistributedCrawling": 0,
    # Feed exports (-o/-O, FEEDS) hold articles, not the failure records (crawler/feeds.py).
    "crawler.feeds.ArticlesOnlyFeeds": 0,
}

# --- Incremental and scheduled runs (crawler/incremental.py, crawler/runs.py) --------------------------------------
# Stored articles are not requested again, except those younger than this many days (by publication time), which are
# re-checked with a conditional GET; 0 turns re-checks off.
RECHECK_WINDOW_DAYS = 2.0
# False: request every article link, stored or not (the store still adds no duplicate).
INCREMENTAL_ENABLED = True
# One `crawl_runs` row per outlet and run; CRAWL_BATCH tags the rows of one `python -m crawler crawl`.
CRAWL_RUNS_ENABLED = True
CRAWL_BATCH = None
# JOBDIR (unset by default; `python -m crawler crawl` sets output/jobs/<outlet>): resumable request queue, emptied
# when a run ends and reset after a crash (crawler/runs.py JobDirGuard).
JOBS_DIR = "output/jobs"
# Bounds of one run, so that every run ends by itself on a site that loops (crawler/spider.py). Hitting one is not a
# failure: the run is `ok` and its stats (crawl_runs.stats) count the cut as `bounds/<name>`. Pages of one listing
# followed at most (a listing also ends at a page that links no article it has not linked before in the run):
LISTING_MAX_PAGES = 200
# Nesting of sitemap indexes followed (sitemaps named in robots.txt or by the outlet are depth 0), sitemaps fetched
# per run (the outlet's own sitemap_paths aside), and entries read per sitemap (the sitemaps protocol's own maximum
# is 50,000).
SITEMAP_MAX_DEPTH = 3
SITEMAP_MAX_SITEMAPS = 2000
SITEMAP_MAX_URLS = 50_000
# Sections taken at most from the home page's navigation, walked as listings when a configured listing failed or
# linked no article (crawler/spider.py).
NAVIGATION_MAX_SECTIONS = 100
# An article page with more tags (counted as "<") than this is not extracted: failure `too_large` (real pages have a
# few thousand; extraction costs about 30 µs of CPU per tag, on the reactor that runs the whole crawl).
EXTRACTION_MAX_TAGS = 50_000
# Scrapy's own extensions, less two a scheduled crawl does not use: the remote control (an HTTP server in each process
# that runs Python code sent to it, for an MCP client) and the telnet console. Listed rather than disabled: Scrapy
# imports every extension it lists, even one set to None, so each spider process would still import aiohttp and
# twisted.conch for them and run the server (11 MB per spider process, 0.1 s of start-up CPU). The rest is
# Scrapy's EXTENSIONS_BASE as is (checked against the installed Scrapy: crawler/scrapy_compat.py).
EXTENSIONS_BASE = {
    "scrapy.extensions.corestats.CoreStats": 0,
    "scrapy.extensions.logcount.LogCount": 0,
    "scrapy.extensions.memusage.MemoryUsage": 0,
    "scrapy.extensions.memdebug.MemoryDebugger": 0,
    "scrapy.extensions.closespider.CloseSpider": 0,
    "scrapy.extensions.feedexport.FeedExporter": 0,
    "scrapy.extensions.logstats.LogStats": 0,
    "scrapy.extensions.spiderstate.SpiderState": 0,
    "scrapy.extensions.throttle.AutoThrottle": 0,
}
UNUSED_SCRAPY_EXTENSIONS = ("scrapy.extensions.remote_control.RemoteControl", "scrapy.extensions.telnet.TelnetConsole")
EXTENSIONS = {
    "crawler.incremental.IncrementalState": 100,
    "crawler.runs.CrawlRuns": 110,
    "crawler.runs.JobDirGuard": 120,
    # Writes the crawl's counts to PROGRESS_FILE for `python -m crawler crawl`'s live display; off when it is unset.
    "crawler.progress.ProgressFile": 130,
}

# --- Storage ----------------------------------------------------------------------------------------------------
# SQLite database the crawl writes to (created with its directory); relative paths are from the working directory.
DATABASE_PATH = "output/articles.db"
# Items written per transaction by the store pipeline.
STORE_BATCH_SIZE = 100

# False: article pages are downloaded but neither extracted nor stored (benchmarks/: the crawl's floor without
# extraction). Discovery is unchanged.
EXTRACTION_ENABLED = True

# Keep the page's HTML, compressed, in the `pages` table (for `python -m crawler reextract`).
ARCHIVE_RAW_PAGES = True
# Link near-duplicate articles (wire copy republished by several outlets) as a crawl stores them.
NEAR_DUPLICATES = True
# ... among the articles published at most this many days apart (crawler/corpus/neardup.py: WINDOW_DAYS).
NEAR_DUPLICATE_WINDOW_DAYS = 30

ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.dedupe.DedupePipeline": 200,
    "pipelines.store.SQLitePipeline": 300,
    "pipelines.neardup.NearDuplicatePipeline": 400,
}

LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
# Scrapy checks every callback for a generator returning a value (a developer's mistake) by reading and parsing its
# source, on every response: its cache holds the bound method weakly, and a new one is made per request, so the cache
# never hits (1.8% of a spider's CPU). The spider's callbacks are ours and return no value.
WARN_ON_GENERATOR_RETURN_VALUE = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
