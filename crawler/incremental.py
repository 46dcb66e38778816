"""Incremental crawling: stored articles are skipped before they are downloaded, recent ones re-checked.

Four pieces, so that spiders never touch the database:

* :class:`KnownArticles`, a read-only snapshot of what the database holds for one outlet (canonical URLs, native
  ids, publication dates, HTTP validators, lasting failures, pages not archived) and whether the outlet's previous
  run was complete, from the database opened read-only (:func:`crawler.storage.open_read_only`: never created,
  migrated or written) and :mod:`crawler.runs`. The stored articles are looked up in the database, one indexed
  query per article link, rather than loaded: a crawl's memory does not grow with the corpus.
* :class:`IncrementalState`, the extension that makes it available as ``crawler.known_articles``.
* :class:`IncrementalSpider`, the mixin of :class:`crawler.spider.OutletSpider`: spider arguments ``since``,
  ``until``, ``max_articles``, ``backfill``; the decisions "request this article or not" and "follow this listing
  to its next page or not"; the date range; ``max_articles``.
* :class:`ConditionalRequests`, a downloader middleware: a request for a stored article (one due for a re-check, or
  asked for with ``urls``) is sent as a conditional GET (``If-None-Match`` / ``If-Modified-Since`` from the stored
  validators); ``304 Not Modified`` reaches the spider, which counts it and stores nothing.

Rules:

* An article whose canonical URL or ``(outlet, native_id)`` is stored is not requested (stat
  ``incremental/skipped``, once per URL) unless it is younger than ``RECHECK_WINDOW_DAYS`` (by publication time,
  else by first fetch): then it is re-checked (stat ``incremental/rechecked``; ``incremental/not_modified`` for a
  304). A changed text updates the row and keeps the previous one in ``article_versions`` (crawler/storage.py).
* A listing stops at the first page that links no article which is not stored, provided the outlet's previous run
  was a complete full crawl (crawler/runs.py; a run that failed, e.g. could not write, is not one: the articles
  it fetched may be missing): after a crashed, interrupted, failed, partial or first run, listings are
  walked to their end, so gaps are filled. ``backfill`` always walks them to the end.
* With ``since``, a listing also stops at a page whose articles are all older than ``since``. A page's next page
  is held until the articles it links have been fetched (the spider is idle), then followed only if none of them
  was older than ``since``. Sitemap entries and nested sitemaps whose ``lastmod`` is older than ``since`` are not
  fetched.
* After a complete run, a nested sitemap whose ``lastmod`` is older than the newest stored publication time is not
  fetched (stat ``incremental/sitemaps_skipped``): it lists nothing newer than what is stored.
* A URL recorded in ``failures`` for a lasting reason (not an article, HTTP 404, robots-disallowed, ...; see
  :data:`TRANSIENT_FAILURES` for those retried) is not requested again (stat ``incremental/skipped_failed``),
  unless the extractor rejected it (``not_article``, ``parse_error``) and was older than the current
  ``EXTRACTOR_VERSION``: the current one may read it (:func:`lasting_failures`).
* With ``ARCHIVE_RAW_PAGES``, a stored article without its archived page (stored before the store committed both
  together) is requested again, unconditionally, to archive it (stat ``incremental/unarchived``).
* Articles published outside ``since`` / ``until``, and with either of them undated articles, are not stored (stat
  ``incremental/out_of_range``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured

from crawler import stats_keys
from crawler.items import FailureReason, Retry
from crawler.spider_arguments import parse_moment, spider_arguments

if TYPE_CHECKING:
    import sqlite_utils
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.items import Article
    from crawler.outlet import Outlet

logger = logging.getLogger(__name__)

#: Failure reasons worth another try on the next run (SQL condition on ``failures.reason``, from the retry policy
#: of :class:`crawler.items.FailureReason`, and HTTP 429 and 5xx); a URL that failed for any other reason (not an
#: article, 404, robots-disallowed, too large, ...) is not requested again.
TRANSIENT_FAILURES = "reason IN ({}) OR reason = 'http_429' OR reason LIKE 'http_5%'".format(
    ", ".join(f"'{reason}'" for reason in FailureReason if reason.retry is Retry.NEXT_RUN)
)
DEFAULT_RECHECK_WINDOW_DAYS = 2.0


def lasting_failures(db: sqlite_utils.Database, outlet: str) -> set[str]:
    """The outlet's URLs not to request again: failed for a lasting reason, except the pages an older extractor
    rejected (:data:`crawler.items.EXTRACTOR_JUDGED` with an older, or unknown, ``extractor_version``), which the
    current extractor may read."""
    from crawler import extraction
    from crawler.items import EXTRACTOR_JUDGED

    judged = ", ".join(f"'{reason}'" for reason in EXTRACTOR_JUDGED)
    return {
        url
        for (url,) in db.execute(
            f"SELECT url FROM failures WHERE outlet = ? AND NOT ({TRANSIENT_FAILURES}) "
            f"AND NOT (reason IN ({judged}) AND coalesce(extractor_version, 0) < ?)",
            [outlet, extraction.EXTRACTOR_VERSION],
        )
    }


# --- dates ---------------------------------------------------------------------------------------------------------


def lastmod_moment(value: str | None) -> datetime | None:
    try:
        return parse_moment(value)
    except ValueError:
        return None


# --- what is stored ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredArticle:
    url: str
    published: datetime | None
    first_seen: datetime | None
    etag: str | None
    last_modified: str | None


_STORED_COLUMNS = "url, published, first_seen, http_etag, http_last_modified"


class KnownArticles:
    """Read-only snapshot of one outlet's stored articles. ``database_path`` None: nothing is stored.

    The articles are those stored when it was loaded (on first use): their rows are read from the database when a
    URL is looked up (about 20 µs: the ``url`` and ``(outlet, native_id)`` indexes), not held in memory (650 bytes
    per stored article, in every spider process, for the whole run: 650 MB for an outlet of a million articles).
    Rows stored later, by this run, have higher ids and are not part of it. Its connection stays open until
    :meth:`close` (the spider's close), reading nothing in between: no transaction is held open."""

    def __init__(
        self,
        database_path: str | None,
        outlet: str,
        recheck_window_days: float,
        now: datetime | None = None,
        archive_pages: bool = False,
    ) -> None:
        self.database_path = database_path
        self.outlet = outlet
        self.recheck_window = timedelta(days=recheck_window_days)
        self.now = now or datetime.now(UTC)
        self._loaded = False
        self._db: sqlite_utils.Database | None = None
        self._newest_id = 0
        """The highest article id when loaded: the snapshot's rows are those up to it."""
        self.stored_count = 0
        self.newest_published: datetime | None = None
        self.previous_run_complete = False
        self.failed: set[str] = set()
        """URLs that did not become articles for a lasting reason (not an article, 404, robots, ...)."""
        self.archive_pages = archive_pages
        self.unarchived: set[str] = set()
        """With ``archive_pages``: stored articles without their archived page (stored by a version that could
        commit one without the other), requested again to archive it."""

    def load(self) -> KnownArticles:
        if self._loaded:
            return self
        self._loaded = True
        if not self.database_path:
            return self
        from crawler.runs import previous_run_was_complete
        from crawler.storage import open_read_only

        # Read-only: a snapshot never creates, migrates or writes the database (a distributed worker has none of
        # its own; in the single-machine mode the store has opened and migrated it before the first request).
        db = open_read_only(self.database_path)
        if db is None:
            logger.info("%s: no current database at %s: nothing stored", self.outlet, self.database_path)
            return self
        self._db = db
        self._newest_id = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        self.previous_run_complete = previous_run_was_complete(db, self.outlet)
        self.failed = lasting_failures(db, self.outlet)
        if self.archive_pages:
            self.unarchived = {
                url
                for (url,) in db.execute(
                    "SELECT url FROM articles WHERE outlet = ? AND url NOT IN (SELECT url FROM pages)",
                    [self.outlet],
                )
            }
        # Streamed: the newest publication time is kept, not the rows (stored times carry their own offsets, so
        # the newest is found by comparing moments, not text).
        for (published,) in db.execute(
            "SELECT published FROM articles WHERE outlet = ? AND id <= ?", [self.outlet, self._newest_id]
        ):
            self.stored_count += 1
            moment = lastmod_moment(published)
            if moment and (self.newest_published is None or moment > self.newest_published):
                self.newest_published = moment
        logger.info(
            "%s: %d articles stored; previous run complete: %s",
            self.outlet,
            self.stored_count,
            self.previous_run_complete,
        )
        return self

    def get(self, url: str, native_id: str | None = None) -> StoredArticle | None:
        """The stored article at canonical ``url``, else the one with ``native_id`` in this outlet (the latest
        stored, should several share it), else None."""
        self.load()
        if self._db is None:
            return None
        row = self._db.execute(
            f"SELECT {_STORED_COLUMNS} FROM articles WHERE url = ? AND outlet = ? AND id <= ?",
            [url, self.outlet, self._newest_id],
        ).fetchone()
        if row is None and native_id:
            row = self._db.execute(
                f"SELECT {_STORED_COLUMNS} FROM articles WHERE outlet = ? AND native_id = ? AND id <= ? "
                "ORDER BY id DESC LIMIT 1",
                [self.outlet, native_id, self._newest_id],
            ).fetchone()
        if row is None:
            return None
        stored_url, published, first_seen, etag, last_modified = row
        return StoredArticle(stored_url, lastmod_moment(published), lastmod_moment(first_seen), etag, last_modified)

    def due_for_recheck(self, stored: StoredArticle) -> bool:
        """Younger than the re-check window: by publication time, else by the time it was first fetched. A
        publication time in the future (a wrong date on the page) is not trusted, or the article would look
        young, and be re-checked, forever."""
        if self.recheck_window <= timedelta(0):
            return False
        born = stored.published if stored.published is not None and stored.published <= self.now else None
        born = born or stored.first_seen
        return born is not None and self.now - born < self.recheck_window

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __len__(self) -> int:
        self.load()
        return self.stored_count


class IncrementalState:
    """Extension: ``crawler.known_articles``, the :class:`KnownArticles` of the crawler's outlet, from
    ``DATABASE_PATH``. Off with ``INCREMENTAL_ENABLED = False`` (every article is then requested)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalState:
        settings = crawler.settings
        if not settings.getbool("INCREMENTAL_ENABLED", True):
            raise NotConfigured
        known = KnownArticles(
            settings.get("DATABASE_PATH"),
            crawler.spidercls.name,
            settings.getfloat("RECHECK_WINDOW_DAYS", DEFAULT_RECHECK_WINDOW_DAYS),
            archive_pages=settings.getbool("ARCHIVE_RAW_PAGES", True),
        )
        # An attribute of Scrapy's Crawler, which the spider reads back (IncrementalSpider.known).
        crawler.known_articles = known  # type: ignore[attr-defined]
        crawler.signals.connect(known.close, signal=signals.spider_closed)
        return cls()


# --- conditional requests ------------------------------------------------------------------------------------------


def conditional_headers(stored: StoredArticle) -> dict[str, str]:
    headers = {}
    if stored.etag:
        headers["If-None-Match"] = stored.etag
    if stored.last_modified:
        headers["If-Modified-Since"] = stored.last_modified
    elif stored.first_seen:
        # No validator stored: our own first fetch time is a safe lower bound of what we hold.
        headers["If-Modified-Since"] = format_datetime(stored.first_seen.astimezone(UTC), usegmt=True)
    return headers


class ConditionalRequests:
    """Downloader middleware: requests marked ``meta["stored_article"]`` (by the spider) go out as conditional
    GETs, and a ``304`` is handed to the callback rather than treated as an HTTP error."""

    def process_request(self, request: Request) -> None:
        stored = request.meta.get("stored_article")
        if not isinstance(stored, StoredArticle):
            return None
        for name, value in conditional_headers(stored).items():
            request.headers.setdefault(name, value)
        allowed = list(request.meta.get("handle_httpstatus_list", []))
        if 304 not in allowed:
            request.meta["handle_httpstatus_list"] = [*allowed, 304]
        return None


# --- the spider side -----------------------------------------------------------------------------------------------

_NOTHING_STORED = KnownArticles(None, "", 0)


class IncrementalSpider:
    """Mixin of :class:`crawler.spider.OutletSpider` (put before SitemapSpider)."""

    outlet: ClassVar[type[Outlet]]
    only_urls: list[str]
    crawler: Crawler  # set by Scrapy's Spider.from_crawler

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """``kwargs``: the spider arguments (crawler/spider_arguments.py); SpiderArgumentError for a bad one."""
        arguments = spider_arguments(kwargs)
        super().__init__(*args)
        self.since = arguments.since
        self.until = arguments.until
        self.max_articles = arguments.max_articles
        self.backfill = arguments.backfill
        self.only_urls = arguments.urls
        self.run_arguments = arguments.given
        self.new_articles = 0
        self._skipped: set[str] = set()
        self._held_pages: list[Request] = []
        self._past_since: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any):
        # A mixin: the next class in the MRO is Scrapy's Spider, which mypy cannot see from here.
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        crawler.signals.connect(spider._release_held_pages, signal=signals.spider_idle)
        return spider

    @property
    def run_mode(self) -> str:
        if self.backfill:
            return "backfill"
        if self.since or self.until or self.max_articles or getattr(self, "only_urls", None):
            return "partial"
        return "full"

    @property
    def known(self) -> KnownArticles:
        crawler = getattr(self, "crawler", None)
        return getattr(crawler, "known_articles", None) or _NOTHING_STORED

    def _inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(key, count)

    # --- which articles to request ----------------------------------------------------------------------------

    def max_reached(self) -> bool:
        return self.max_articles is not None and self.new_articles >= self.max_articles

    def stored(self, url: str) -> StoredArticle | None:
        """``url`` is canonical."""
        return self.known.get(url, self.outlet.native_id(url))

    def wanted(self, url: str, *, force: bool = False) -> tuple[bool, StoredArticle | None]:
        """(request it?, its stored row) for the canonical article URL ``url``."""
        stored = self.stored(url)
        if stored is None:
            if not force and url in self.known.failed:
                if url not in self._skipped:
                    self._skipped.add(url)
                    self._inc(stats_keys.SKIPPED_FAILED)
                return False, None
            return not self.max_reached(), None
        if stored.url in self.known.unarchived:  # an unconditional request: a 304 would bring no page
            if url not in self._skipped:
                self._skipped.add(url)
                self._inc(stats_keys.UNARCHIVED)
            return True, None
        if force or self.known.due_for_recheck(stored):
            if url not in self._skipped:
                self._inc(stats_keys.RECHECKED)
            self._skipped.add(url)  # counted once
            return True, stored
        if url not in self._skipped:
            self._skipped.add(url)
            self._inc(stats_keys.SKIPPED)
        return False, stored

    def sitemap_entry_wanted(self, entry: dict[str, Any], is_article: bool, url: str) -> bool:
        lastmod = lastmod_moment(entry.get("lastmod"))
        if self.since and lastmod and lastmod < self.since:
            self._inc(stats_keys.OUT_OF_RANGE if is_article else stats_keys.SITEMAPS_SKIPPED)
            return False
        if is_article:
            return self.wanted(url)[0]
        known = self.known.load()
        if (
            not self.backfill
            and known.previous_run_complete
            and lastmod
            and known.newest_published
            and lastmod < known.newest_published
        ):
            self._inc(stats_keys.SITEMAPS_SKIPPED)
            return False
        return True

    # --- listings ------------------------------------------------------------------------------------------------

    def listing_root(self, response: Response) -> str:
        return response.meta.get("listing_root", response.url)

    def follow_listing(self, response: Response, next_page: Request, article_urls: list[str]) -> Request | None:
        """``next_page`` (marked with its listing), or None when the listing ends here; may hold it (``since``)."""
        root = self.listing_root(response)
        next_page.meta["listing_root"] = root
        if self.max_reached():
            return None
        stored = [self.stored(url) for url in article_urls]
        unstored = [url for url, row in zip(article_urls, stored) if row is None]
        if not unstored and not self.backfill and self.known.load().previous_run_complete:
            self._inc(stats_keys.LISTINGS_STOPPED)
            return None
        if self.since:
            if (
                not unstored
                and stored
                and all(row is not None and row.published and row.published < self.since for row in stored)
            ):
                self._inc(stats_keys.LISTINGS_STOPPED)
                return None
            if root in self._past_since:
                self._inc(stats_keys.LISTINGS_STOPPED)
                return None
            if unstored:
                self._held_pages.append(next_page)  # followed once its articles are in (see _release_held_pages)
                return None
        return next_page

    def _release_held_pages(self) -> None:
        held, self._held_pages = self._held_pages, []
        released = 0
        for request in held:
            if request.meta.get("listing_root") in self._past_since or self.max_reached():
                self._inc(stats_keys.LISTINGS_STOPPED)
                continue
            self.crawler.engine.crawl(request)
            released += 1
        if released:
            raise DontCloseSpider

    # --- articles ------------------------------------------------------------------------------------------------

    def keep_article(self, response: Response, article: Article) -> bool:
        """Date range and ``max_articles`` for an extracted article; its HTTP validators. False: do not store.
        Raises CloseSpider once ``max_articles`` new articles were produced."""
        article.http_etag = _header(response, "ETag")
        article.http_last_modified = _header(response, "Last-Modified")
        published = lastmod_moment(article.published)
        if (self.since or self.until) and published is None:
            self._inc(stats_keys.OUT_OF_RANGE)  # undated: not known to be in the range; a full run stores it
            return False
        if published is not None and (
            (self.since and published < self.since) or (self.until and published >= self.until)
        ):
            self._inc(stats_keys.OUT_OF_RANGE)
            if self.since and published < self.since and "listing_root" in response.meta:
                self._past_since.add(response.meta["listing_root"])
            return False
        if response.meta.get("stored_article") is None:
            if self.max_reached():
                raise CloseSpider("max_articles")
            self.new_articles += 1
        return True

    def not_modified(self, response: Response) -> bool:
        """True (and counted) for a 304 answer to a re-check."""
        if response.status != 304:
            return False
        self._inc(stats_keys.NOT_MODIFIED)
        return True


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def mark_listing(request: Request, response: Response) -> Request:
    """Article requests of a listing page remember the listing (for ``since``)."""
    request.meta.setdefault("listing_root", response.meta.get("listing_root", response.url))
    return request
