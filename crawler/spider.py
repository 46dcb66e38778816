"""The spider all outlets share. Everything outlet-specific comes from the spider's :class:`Outlet` class.

Discovery uses whatever the outlet offers, each through Scrapy's own machinery: sitemaps named in robots.txt or
declared by the outlet (SitemapSpider), RSS feeds, and category listings with their pagination. Article URLs are
recognised by the outlet's URL patterns and canonicalised before they are requested, so host variants and
tracking tails collapse into one request. Pages are handed to the pure extraction function; spiders never touch
the database.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any, ClassVar

from scrapy import Request
from scrapy.http import Response
from scrapy.selector import Selector
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from twisted.internet.error import DNSLookupError, TCPTimedOutError, TimeoutError
from twisted.python.failure import Failure

from crawler.extraction import NotAnArticle, extract
from crawler.items import PageFailure
from crawler.outlet import Outlet
from crawler.urls import canonical_url

SITEMAP_LOCATION = re.compile(r"\.xml(?:\.gz)?(?:\?|$)|sitemap", re.IGNORECASE)


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class OutletSpider(SitemapSpider):
    """Crawls one outlet. Subclasses only set ``name`` and ``outlet``.

    Spider argument ``urls``: a comma-separated list of article URLs to fetch instead of running discovery.
    """

    outlet: ClassVar[type[Outlet]]
    sitemap_rules = [("", "parse_article")]

    def __init__(self, *args: Any, urls: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.allowed_domains = list(self.outlet.hosts())
        self.sitemap_urls = [self.outlet.absolute("robots.txt")] + [
            self.outlet.absolute(path) for path in self.outlet.sitemap_paths
        ]
        self.only_urls = [url.strip() for url in urls.split(",") if url.strip()] if urls else []

    # --- discovery -------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.only_urls:
            for url in self.only_urls:
                yield self.article_request(url)
            return
        async for request in super().start():  # robots.txt and the outlet's sitemaps
            yield request
        for path in self.outlet.feed_paths:
            yield Request(self.outlet.absolute(path), callback=self.parse_feed, errback=self.record_failure)
        for path in ("", *self.outlet.listing_paths):
            yield Request(self.outlet.absolute(path), callback=self.parse_listing, errback=self.record_failure)

    def article_request(self, url: str) -> Request:
        return Request(canonical_url(url, self.outlet), callback=self.parse_article, errback=self.record_failure)

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Keep nested sitemaps and the outlet's article URLs (canonicalised); drop everything else."""
        for entry in entries:
            location = entry.get("loc", "")
            if self.outlet.is_article_url(location):
                yield {**entry, "loc": canonical_url(location, self.outlet)}
            elif SITEMAP_LOCATION.search(location) and self.outlet.owns(location):
                yield entry

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """RSS 2.0 ``<item><link>`` and Atom ``<entry><link href>``, whatever content type the server sent."""
        feed = Selector(text=response.text, type="xml")
        feed.remove_namespaces()
        links = feed.xpath("//item/link/text() | //entry/link/@href").getall()
        yield from self.article_requests(response, links)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Article links of a home, category or tag page, then its next page."""
        yield from self.article_requests(response, response.css("a::attr(href)").getall())
        for selector in (*self.outlet.next_page_selectors, "a[rel=next]", "link[rel=next]"):
            if next_page := response.css(selector).attrib.get("href"):
                url = response.urljoin(next_page)
                if self.outlet.owns(url):
                    yield Request(url, callback=self.parse_listing, errback=self.record_failure)
                break

    def article_requests(self, response: Response, links: Iterable[str]) -> Iterator[Request]:
        for link in links:
            url = response.urljoin(link.strip())
            if self.outlet.is_article_url(url):
                yield self.article_request(url)

    # --- articles ----------------------------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Any]:
        fetched_at = utc_now()
        try:
            article = extract(response.text, response.url, self.outlet)
        except NotAnArticle as error:
            self.crawler.stats.inc_value(f"{self.name}/not_article")
            self.logger.info("Not an article: %s (%s)", response.url, error)
            yield PageFailure(self.outlet.name, response.url, "not_article", str(error), response.status, fetched_at)
            return
        if article.extraction != "outlet":
            # The outlet's selectors missed: the generic path kept the page clean, but the site may have been
            # redesigned and the outlet rules need a look.
            self.crawler.stats.inc_value(f"{self.name}/outlet_rules_missed")
            self.logger.warning("Outlet rules of %s missed on %s; used the generic extractor", self.name, response.url)
        article.fetched_url = response.url if response.url != article.url else None
        article.fetched_at = fetched_at
        yield article

    def record_failure(self, failure: Failure) -> Iterator[PageFailure]:
        """Errback: every request that fails becomes a recorded row with its reason."""
        request = failure.request
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"http_{status}"
        elif failure.check(TimeoutError, TCPTimedOutError):
            reason = "timeout"
        elif failure.check(DNSLookupError):
            reason = "dns_error"
        else:
            reason = "download_error"
        self.logger.warning("Failed %s: %s (%s)", request.url, reason, failure.getErrorMessage())
        yield PageFailure(self.outlet.name, request.url, reason, failure.getErrorMessage(), status, utc_now())
