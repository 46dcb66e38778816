"""The spider all outlets share. Everything outlet-specific comes from the spider's :class:`Outlet` class.

Discovery uses whatever the outlet offers, each through Scrapy's own machinery: sitemaps named in robots.txt or
declared by the outlet (SitemapSpider), RSS feeds, the home page and category listings with their pagination.
Article URLs are recognised by the outlet's URL patterns and canonicalised before they are requested, so host
variants and tracking tails collapse into one request. Pages are handed to the pure extraction function; spiders
never touch the database.

Discovery finds its own way when the outlet's description is wrong: when a configured listing fails or links no
article, the sections linked from the home page's navigation (same-host links that are not articles, in
nav/header/menu blocks) are walked as listings once the rest of the run is done, and pagination is recognised
generically where the outlet's next-page selectors find nothing (both: crawler/discovery.py). Each discovery
channel (``sitemap``, ``feed``, ``home``, ``listing``, ``navigation``) counts its pages, failures and article links
for the run's health (crawler/health.py).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

from scrapy import Request, signals
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.selector import Selector
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from twisted.internet.error import (
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure
from twisted.web.client import ResponseNeverReceived

from crawler import extraction, justext_stoplist, stats_keys
from crawler import settings as project_settings
from crawler.corpus.pages import ARCHIVED_HEADERS
from crawler.discovery import NAVIGATION_LINKS, NEXT_PAGE_SELECTORS, generic_next_page, navigation_sections
from crawler.extraction import NotAnArticle, explain
from crawler.extraction.encoding import UndecodableError, decode_html, header_encoding
from crawler.extraction.fields import SELECTOR_FIELDS, selector_attribute
from crawler.incremental import IncrementalSpider, StoredArticle, mark_listing
from crawler.items import FailureReason, PageFailure, http_failure
from crawler.middlewares import OffsiteRedirect, RedirectLoop, RobotsUnavailable, TooManyRedirects
from crawler.outlet import Outlet
from crawler.scrapy_compat import DecompressionMaxSizeExceeded
from crawler.urls import canonical_url

# trafilatura's jusText fallback otherwise holds two copies of every language's stop words in each spider process.
justext_stoplist.install()

SITEMAP_LOCATION = re.compile(r"\.xml(?:\.gz)?(?:\?|$)|sitemap", re.IGNORECASE)
#: Request meta key marking a discovery request with its channel: ``sitemap``, ``feed``, ``home``, ``listing`` (a
#: configured listing) or ``navigation`` (a section found in the home page's menus); next pages keep it.
DISCOVERY = "discovery"
#: Request meta key of a configured listing's first page: its URL as configured (kept through redirects).
CONFIGURED_LISTING = "configured_listing"


def _is_robots_txt(url: str) -> bool:
    return url.endswith("/robots.txt")


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class OutletSpider(IncrementalSpider, SitemapSpider):
    """Crawls one outlet. Subclasses only set ``name`` and ``outlet``: :func:`spider_for` makes them.

    Spider argument ``urls``: a comma-separated list of article URLs to fetch instead of running discovery (stored
    ones are re-checked with a conditional request). ``since``, ``until``, ``max_articles``, ``backfill``: see
    :mod:`crawler.incremental`, which also decides which article links are requested (stored ones are not).
    """

    outlet: ClassVar[type[Outlet]]
    # Scrapy's SitemapSpider declares it without ClassVar, and never mutates it.
    sitemap_rules = [("", "parse_article")]  # noqa: RUF012

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)  # the spider arguments, checked: crawler/spider_arguments.py
        self.allowed_domains = list(self.outlet.hosts())
        self.sitemap_urls = [self.outlet.absolute("robots.txt")] + [
            self.outlet.absolute(path) for path in self.outlet.sitemap_paths
        ]
        self._listing_links: dict[str, set[str]] = {}  # listing root -> article URLs its pages linked this run
        self._sitemaps_followed = 0
        self._listings_missed: list[str] = []  # configured listings whose first page failed or linked no article
        self._navigation: list[str] = []  # sections linked from the home page's navigation
        self._navigation_walked = False

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> OutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._walk_navigation, signal=signals.spider_idle)
        return spider

    @classmethod
    def spider_for(cls, outlet: type[Outlet], module: str) -> type[OutletSpider]:
        """The spider of ``outlet`` (class ``<Name>Spider``, named after the outlet), defined in ``module``: Scrapy's
        spider loader finds a spider class in the module that defines it."""
        class_name = f"{outlet.__name__}Spider"
        return type(
            class_name,
            (cls,),
            {
                "name": outlet.name,
                "outlet": outlet,
                "__module__": module,
                "__qualname__": class_name,
                "__doc__": f"The spider of {outlet.display_name} ({outlet.home}).",
            },
        )

    def bound(self, name: str) -> int:
        """The run bound ``name`` (``LISTING_MAX_PAGES``, ``SITEMAP_MAX_URLS``, ...: crawler/settings.py sets and
        explains them) from the settings; crawler/settings.py's value when the crawl runs with other settings (a
        test's CrawlerProcess), so that every run stays bounded."""
        return self.settings.getint(name, getattr(project_settings, name))

    # --- discovery -------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.only_urls:
            for url in self.only_urls:
                if request := self.article_request(url, force=True):
                    yield request
            return
        async for request in super().start():  # robots.txt and the outlet's sitemaps
            yield request if _is_robots_txt(request.url) else self._discovery_request(request, "sitemap")
        for path in self.outlet.feed_paths:
            yield self._discovery_request(Request(self.outlet.absolute(path), callback=self.parse_feed), "feed")
        yield self._discovery_request(Request(self.outlet.home, callback=self.parse_listing), "home")
        for path in self.outlet.listing_paths:
            url = self.outlet.absolute(path)
            yield self._discovery_request(
                Request(url, callback=self.parse_listing, meta={CONFIGURED_LISTING: url}), "listing"
            )

    def _discovery_request(self, request: Request, channel: str) -> Request:
        """A request of the run's discovery through ``channel``, marked so that its failure is recorded and
        counted: a run none of whose discovery pages could be fetched has not crawled the outlet
        (``discovery/failed`` without ``discovery/fetched``: crawler/runs.py makes it ``failed``). robots.txt is
        not one: a site may have none, and one without sitemaps discovers nothing."""
        return request.replace(errback=self.record_failure, meta={**request.meta, DISCOVERY: channel})

    def _discovered(self, response: Response, channel: str) -> None:
        """A discovery page of ``channel`` (a sitemap, feed or listing, nested or next pages included) reached its
        callback."""
        if not _is_robots_txt(response.url):
            self.crawler.stats.inc_value(stats_keys.DISCOVERY_FETCHED)
            self.crawler.stats.inc_value(stats_keys.discovery_channel(channel, "pages"))

    def _linked(self, channel: str) -> None:
        """A discovery page of ``channel`` links an article (stored or not). Links are counted, not told apart:
        a run's sitemaps may list millions, too many URLs to keep for a count."""
        self.crawler.stats.inc_value(stats_keys.discovery_channel(channel, "article_links"))

    def article_request(self, url: str, force: bool = False) -> Request | None:
        """The request for an article link, or None when it is stored and not due for a re-check."""
        url = canonical_url(url, self.outlet)
        wanted, stored = self.wanted(url, force=force)
        if not wanted:
            return None
        return self._article_request(url, stored)

    def _article_request(self, url: str, stored: StoredArticle | None) -> Request:
        """A request for the canonical article URL ``url``: a conditional re-check when it is ``stored``, and a
        recorded failure when it fails."""
        meta = {"stored_article": stored} if stored else {}
        return Request(url, callback=self.parse_article, errback=self.record_failure, meta=meta)

    def _parse_sitemap(self, response: Response) -> Iterator[Request]:  # Scrapy's private hook: scrapy_compat.py
        """SitemapSpider's, except that article requests (already filtered by :meth:`sitemap_filter`) are built as
        every other article request is (SitemapSpider's own have no errback and no re-check marker), and that nested
        sitemaps are followed within the run's bounds (``SITEMAP_MAX_DEPTH``, ``SITEMAP_MAX_SITEMAPS``): a sitemap
        index that links the next one for ever (1.xml -> 2.xml -> ...) ends there."""
        self._discovered(response, "sitemap")
        for request in super()._parse_sitemap(response):
            if request.callback == self.parse_article:
                request = self._article_request(request.url, self.stored(request.url))
            elif request.callback == self._parse_sitemap:
                # Sitemaps named in robots.txt or by the outlet are depth 0; one listed in a depth-d index is d + 1.
                depth = 0 if response.url.endswith("/robots.txt") else response.meta.get("sitemap_depth", 0) + 1
                if depth > self.bound("SITEMAP_MAX_DEPTH"):
                    self.crawler.stats.inc_value(stats_keys.BOUND_SITEMAP_DEPTH)
                    continue
                if self._sitemaps_followed >= self.bound("SITEMAP_MAX_SITEMAPS"):
                    self.crawler.stats.inc_value(stats_keys.BOUND_SITEMAPS)
                    continue
                self._sitemaps_followed += 1
                request.meta["sitemap_depth"] = depth
            yield request

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Keep nested sitemaps and the outlet's article URLs (canonicalised); drop everything else. At most
        ``SITEMAP_MAX_URLS`` entries of one sitemap are read."""
        limit = self.bound("SITEMAP_MAX_URLS")
        for count, entry in enumerate(entries):
            if count >= limit:
                self.crawler.stats.inc_value(stats_keys.BOUND_SITEMAP_URLS)
                self.logger.warning("Sitemap with more than %d entries: the rest is not read", limit)
                return
            location = entry.get("loc", "")
            if self.outlet.is_article_url(location):
                url = canonical_url(location, self.outlet)
                self._linked("sitemap")
                if self.sitemap_entry_wanted(entry, True, url):
                    yield {**entry, "loc": url}
            elif SITEMAP_LOCATION.search(location) and self.outlet.owns(location):
                if self.sitemap_entry_wanted(entry, False, location):
                    yield entry

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """RSS 2.0 ``<item><link>`` and Atom ``<entry><link href>``, whatever content type the server sent."""
        self._discovered(response, "feed")
        feed = Selector(text=response.text, type="xml")
        feed.remove_namespaces()
        links = feed.xpath("//item/link/text() | //entry/link/@href").getall()
        yield from self.article_requests(response, links, "feed")

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Article links of a home, category or tag page, then its next page unless the listing ends here: see
        :meth:`listing_goes_on` and :meth:`~crawler.incremental.IncrementalSpider.follow_listing`. The home page's
        navigation is kept, to be walked if a configured listing misses (:meth:`_walk_navigation`)."""
        channel = response.meta.get(DISCOVERY, "listing")
        self._discovered(response, channel)
        links = response.css("a::attr(href)").getall()
        article_urls = [
            canonical_url(u, self.outlet)
            for u in map(response.urljoin, map(str.strip, links))
            if self.outlet.is_article_url(u)
        ]
        for request in self.article_requests(response, links, channel):
            yield mark_listing(request, response)
        if channel == "home":
            self._navigation = self.navigation(response)
        if CONFIGURED_LISTING in response.meta and not article_urls:
            self._listing_missed(response.meta[CONFIGURED_LISTING], "links no article")
        url = self.next_page(response, channel)
        if url is None or not self.outlet.owns(url) or not self.listing_goes_on(response, article_urls):
            return
        assert response.request is not None  # a response of this spider's request
        following = Request(
            url,
            callback=self.parse_listing,
            errback=response.request.errback,
            meta={"listing_page": response.meta.get("listing_page", 1) + 1, DISCOVERY: channel},
        )
        if followed := self.follow_listing(response, following, article_urls):
            yield followed

    def next_page(self, response: Response, channel: str) -> str | None:
        """The URL of the listing page after this one: the outlet's next-page selectors and ``rel=next`` first (the
        first that finds a link decides), then, on a listing other than the home page,
        :func:`crawler.discovery.generic_next_page`."""
        for selector in (*self.outlet.next_page_selectors, *NEXT_PAGE_SELECTORS):
            if next_page := response.css(selector).attrib.get("href"):
                return response.urljoin(next_page)
        if channel == "home":
            return None
        links = [
            (response.urljoin(href.strip()), " ".join(text).strip())
            for href, text in (
                (link.attrib.get("href", ""), link.css("::text").getall()) for link in response.css("a[href]")
            )
        ]
        url = generic_next_page(
            response.url,
            response.meta.get("listing_page", 1),
            [(url, text) for url, text in links if self.outlet.owns(url) and not self.outlet.is_article_url(url)],
        )
        if url is not None:
            self.crawler.stats.inc_value(stats_keys.GENERIC_NEXT_PAGES)
        return url

    def navigation(self, response: Response) -> list[str]:
        """The sections the home page's navigation links (:func:`crawler.discovery.navigation_sections`), at most
        ``NAVIGATION_MAX_SECTIONS``."""
        sections, cut = navigation_sections(
            response.xpath(NAVIGATION_LINKS).getall(), response.url, self.outlet, self.bound("NAVIGATION_MAX_SECTIONS")
        )
        if cut:
            self.crawler.stats.inc_value(stats_keys.BOUND_NAVIGATION_SECTIONS)
        return sections

    def _listing_missed(self, url: str, why: str) -> None:
        self._listings_missed.append(url)
        self.logger.info("Configured listing %s %s", url, why)  # the run's health counts it

    def _walk_navigation(self) -> None:
        """Idle (every other discovery page done): when a configured listing failed or linked no article, walk the
        sections of the home page's navigation as listings, once (a dupefilter drops those already walked)."""
        if self._navigation_walked or not self._listings_missed or self.max_reached():
            return
        self._navigation_walked = True
        self.crawler.stats.set_value(stats_keys.NAVIGATION_SECTIONS, len(self._navigation))
        self.logger.info(
            "%d configured listing(s) missed; walking the %d sections of the home page's navigation",
            len(self._listings_missed),
            len(self._navigation),
        )
        for url in self._navigation:
            self.crawler.engine.crawl(
                Request(
                    url, callback=self.parse_listing, errback=self.navigation_failed, meta={DISCOVERY: "navigation"}
                )
            )
        if self._navigation:
            raise DontCloseSpider

    def navigation_failed(self, failure: Failure) -> None:
        """Errback of the navigation's sections and their pages: counted, not recorded as a failed page (a menu
        link is a guess of ours, not a page the site says holds articles)."""
        self.crawler.stats.inc_value(stats_keys.discovery_channel("navigation", "failed"))
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on a request's failure
        self.logger.info("Navigation section failed: %s (%s)", request.url, failure_reason(failure))

    def listing_goes_on(self, response: Response, article_urls: list[str]) -> bool:
        """The run's bounds on a listing, whatever is stored: its next page is not followed when this page links
        no article the listing has not linked before in this run (a listing that repeats itself, or an empty page
        past its end), nor past ``LISTING_MAX_PAGES`` pages (a listing whose page N links page N + 1 for ever).
        Seen links are counted per listing, not per run: a category's first page repeats the home page's links."""
        seen = self._listing_links.setdefault(self.listing_root(response), set())
        new = set(article_urls) - seen
        seen.update(new)
        if not new:
            self.crawler.stats.inc_value(stats_keys.BOUND_LISTING_NO_NEW_LINKS)
            return False
        if response.meta.get("listing_page", 1) >= self.bound("LISTING_MAX_PAGES"):
            self.crawler.stats.inc_value(stats_keys.BOUND_LISTING_PAGES)
            self.logger.warning(
                "Listing %s cut after %d pages (LISTING_MAX_PAGES)",
                self.listing_root(response),
                response.meta.get("listing_page", 1),
            )
            return False
        return True

    def article_requests(self, response: Response, links: Iterable[str], channel: str) -> Iterator[Request]:
        for link in links:
            url = response.urljoin(link.strip())
            if self.outlet.is_article_url(url):
                self._linked(channel)
                if request := self.article_request(url):
                    yield request

    # --- articles ----------------------------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Any]:
        fetched_at = utc_now()
        if self.not_modified(response):  # 304 to a conditional re-check: the stored version is current
            return
        if not self.settings.getbool("EXTRACTION_ENABLED", True):  # benchmarks: Scrapy's own floor, nothing stored
            self.crawler.stats.inc_value(stats_keys.extraction_skipped(self.name))
            return
        try:
            # Not response.text: it trusts the HTTP header over the page's own declaration (see encoding.py).
            html = decode_html(response.body, header_encoding(response.headers.get("Content-Type")))
        except UndecodableError as error:
            self.crawler.stats.inc_value(stats_keys.undecodable(self.name))
            self.logger.warning("Undecodable: %s (%s)", response.url, error)
            yield PageFailure(
                self.outlet.name, response.url, FailureReason.UNDECODABLE, str(error), response.status, fetched_at
            )
            return
        if (tags := html.count("<")) > self.bound("EXTRACTION_MAX_TAGS"):
            # Extraction costs about 30 µs of CPU per tag, on the reactor: a page of 200,000 paragraphs would hold the
            # whole crawl for seconds. Real article pages have a few thousand tags.
            self.crawler.stats.inc_value(stats_keys.too_large(self.name))
            self.logger.warning("Not extracted, %d tags (EXTRACTION_MAX_TAGS): %s", tags, response.url)
            yield PageFailure(
                self.outlet.name,
                response.url,
                FailureReason.TOO_LARGE,
                f"{tags} tags, above EXTRACTION_MAX_TAGS",
                response.status,
                fetched_at,
            )
            return
        # Judged by the extractor, not by the site: archived with the version that judged it, to be judged again.
        page = html if self.settings.getbool("ARCHIVE_RAW_PAGES", True) else None
        headers = (
            {
                name: value.decode("latin-1")
                for name in ARCHIVED_HEADERS
                if (value := response.headers.get(name)) is not None
            }
            if page is not None
            else None
        )
        try:
            explained = explain(html, response.url, self.outlet)
            article = explained.article
        except NotAnArticle as error:
            self.crawler.stats.inc_value(stats_keys.not_article(self.name))
            self.logger.info("Not an article: %s (%s)", response.url, error)
            yield PageFailure(
                self.outlet.name,
                response.url,
                FailureReason.NOT_ARTICLE,
                str(error),
                response.status,
                fetched_at,
                extraction.EXTRACTOR_VERSION,
                page,
                headers,
            )
            return
        except Exception as error:  # an extractor bug on an unexpected page: recorded, the crawl goes on
            self.crawler.stats.inc_value(stats_keys.parse_error(self.name))
            self.logger.exception("Parse error on %s", response.url)
            yield PageFailure(
                self.outlet.name,
                response.url,
                FailureReason.PARSE_ERROR,
                f"{type(error).__name__}: {error}",
                response.status,
                fetched_at,
                extraction.EXTRACTOR_VERSION,
                page,
                headers,
            )
            return
        if article.untrusted_canonical:
            # Believing it would store this article under another page's URL (merging two articles into one row).
            self.crawler.stats.inc_value(stats_keys.canonical_untrusted(self.name))
            self.logger.warning(
                "Canonical link of %s not trusted (%s is not the same article); stored as %s",
                response.url,
                article.untrusted_canonical,
                article.url,
            )
        self.crawler.stats.inc_value(stats_keys.EXTRACTED_ARTICLES)
        for field in SELECTOR_FIELDS:  # the run's health: where the outlet's selectors supplied the field
            if getattr(self.outlet, selector_attribute(field)):
                self.crawler.stats.inc_value(stats_keys.outlet_rules_matched(field), int(field in explained.selectors))
        if article.extraction != "outlet":
            # The outlet's selectors missed: the generic path kept the page clean, but the site may have been
            # redesigned and the outlet rules need a look.
            self.crawler.stats.inc_value(stats_keys.outlet_rules_missed(self.name))
            self.logger.warning("Outlet rules of %s missed on %s; used the generic extractor", self.name, response.url)
        article.fetched_url = response.url if response.url != article.url else None
        article.fetched_at = fetched_at
        if page is not None:
            article.raw_html, article.http_status, article.http_headers = page, response.status, headers
        if not self.keep_article(response, article):  # outside since/until
            return
        yield article
        if self.max_reached():
            raise CloseSpider("max_articles")

    def record_failure(self, failure: Failure) -> Iterator[PageFailure]:
        """Errback: every request that fails (retries exhausted, or not retryable) becomes a recorded row with its
        reason (see :func:`failure_reason`)."""
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on a request's failure
        # After redirects, the URL the spider asked for (the canonical article URL), not the last hop.
        url = request.meta.get("redirect_urls", [request.url])[0]
        status = failure.value.response.status if failure.check(HttpError) else None
        reason = failure_reason(failure)
        if channel := request.meta.get(DISCOVERY):
            self.crawler.stats.inc_value(stats_keys.DISCOVERY_FAILED)
            self.crawler.stats.inc_value(stats_keys.discovery_channel(channel, "failed"))
            if CONFIGURED_LISTING in request.meta:
                self._listing_missed(request.meta[CONFIGURED_LISTING], f"failed: {reason}")
        self.logger.warning("Failed %s: %s (%s)", url, reason, failure.getErrorMessage())
        yield PageFailure(self.outlet.name, url, reason, failure.getErrorMessage(), status, utc_now())


#: Failure reason by exception, first match wins: Scrapy's own download exceptions (2.19 wraps Twisted's) and the
#: Twisted ones they wrap, for download handlers that do not.
FAILURE_REASONS: tuple[tuple[tuple[type[BaseException], ...], FailureReason], ...] = (
    ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), FailureReason.TIMEOUT),
    ((CannotResolveHostError, DNSLookupError), FailureReason.DNS_ERROR),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), FailureReason.CONNECTION_REFUSED),
    # The body stopped short of its Content-Length.
    ((ResponseDataLossError,), FailureReason.TRUNCATED),
    # Closed or reset before or while the response came (DownloadFailedError wraps Twisted's ResponseFailed).
    ((DownloadFailedError, ResponseNeverReceived, ConnectionLost, ConnectionDone), FailureReason.CONNECTION_LOST),
    # DOWNLOAD_MAXSIZE: Scrapy cancels a download whose size (announced or received) passes it.
    ((DownloadCancelledError,), FailureReason.TOO_LARGE),
    ((RedirectLoop,), FailureReason.REDIRECT_LOOP),
    ((TooManyRedirects,), FailureReason.TOO_MANY_REDIRECTS),
    ((OffsiteRedirect,), FailureReason.OFFSITE_REDIRECT),
)


def failure_reason(failure: Failure) -> str:
    """Short machine-readable reason of a failed request: ``http_<status>``, one of :data:`FAILURE_REASONS`, or
    ``download_error``."""
    if failure.check(HttpError):
        return http_failure(failure.value.response.status)
    # A compressed body that passed DOWNLOAD_MAXSIZE while being decompressed (a gzip bomb) is an IgnoreRequest
    # whose cause tells it apart.
    if isinstance(failure.value.__cause__, DecompressionMaxSizeExceeded):
        return FailureReason.TOO_LARGE
    if failure.check(RobotsUnavailable):  # robots.txt could not be read this run: not a lasting refusal
        return FailureReason.ROBOTS_UNAVAILABLE
    # RobotsTxtMiddleware refuses with IgnoreRequest("Forbidden by robots.txt").
    if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
        return FailureReason.ROBOTS_DISALLOWED
    for exceptions, reason in FAILURE_REASONS:
        if failure.check(*exceptions):
            return reason
    return FailureReason.DOWNLOAD_ERROR
