"""Downloader middlewares: retries that wait, redirects that notice a loop, robots.txt obeyed by every request.

:class:`BackoffRetryMiddleware` replaces Scrapy's RetryMiddleware, which retries 5xx, 429 and connection errors
at once: a server that just said "too many requests" or "unavailable" gets the same request again within
milliseconds. This one waits before each retry, as long as the server asked (``Retry-After`` on 429 and 503, in
seconds or as an HTTP date, capped by ``RETRY_AFTER_MAX``) or else exponentially longer each time
(``RETRY_BACKOFF_BASE`` · 2^n seconds, same cap). The wait is a non-blocking sleep on the reactor, so other
downloads go on meanwhile; the request keeps its place among ``CONCURRENT_REQUESTS`` while it waits.

:class:`LoopAwareRedirectMiddleware` replaces Scrapy's RedirectMiddleware. A redirect back to a URL of the same
chain (A -> B -> A) is, with the stock middleware, silently dropped by the scheduler's duplicate filter — no
response, no errback, no failure row. Here it raises :class:`RedirectLoop`, and exhausting ``REDIRECT_MAX_TIMES``
raises :class:`TooManyRedirects`, so the spider's errback records either.

:class:`SharedRobotsTxtMiddleware` replaces Scrapy's RobotsTxtMiddleware, whose requests that arrive while a
site's robots.txt is still downloading all await one Deferred, through ``asFuture``, which consumes its result: the
first one gets the parser, every other one gets None, read as "no robots.txt", and is fetched even when disallowed
(Scrapy 2.19). The start requests of a crawl are exactly such a burst. Here each waiter gets its own Deferred.
It also keeps each site's robots.txt response: the spider's own request for robots.txt (it reads the sitemaps
named there) gets that response instead of downloading the file a second time (stat ``robotstxt/reused``).
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser
    from scrapy.settings import BaseSettings

#: Statuses whose ``Retry-After`` header is honoured (RFC 9110 §10.2.3: 503 and 3xx; RFC 6585: 429).
RETRY_AFTER_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per a ``Retry-After`` header value (delta-seconds or HTTP date), or None when absent or
    unparsable. A date in the past means 0."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # HTTP dates are GMT
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before retrying; see the module docstring. Settings: ``RETRY_BACKOFF_BASE``
    (seconds, default 1), ``RETRY_AFTER_MAX`` (seconds, default 120), plus the stock ``RETRY_*`` ones."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.max_delay = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self.wait(request, response)
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self.wait(request)
        return result

    async def wait(self, request: Request, response: Response | None = None) -> None:
        delay = self.delay(request, response)
        self.crawler.stats.inc_value("retry/wait_seconds", delay)
        await sleep(delay)

    def delay(self, request: Request, response: Response | None = None) -> float:
        """Seconds to wait before retrying ``request``, which got ``response`` (None: a download error)."""
        if response is not None and response.status in RETRY_AFTER_STATUSES:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                return min(asked, self.max_delay)
        retries_so_far = request.meta.get("retry_times", 0)
        return min(self.backoff_base * 2**retries_so_far, self.max_delay)


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to a URL already visited in the same chain."""


class TooManyRedirects(IgnoreRequest):
    """The chain of redirects is longer than ``REDIRECT_MAX_TIMES``."""


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """RedirectMiddleware that raises :class:`RedirectLoop` and :class:`TooManyRedirects`; see the module
    docstring."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest as error:
            if str(error) == "max redirections reached":  # the stock middleware's only IgnoreRequest
                raise TooManyRedirects(f"more than {self.max_redirect_times} redirects from {request.url}") from error
            raise
        if isinstance(result, Request):
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                raise RedirectLoop(" -> ".join([*chain, result.url]))
        return result


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware whose requests waiting for a robots.txt download all get its parser, and which answers
    a request for a robots.txt it downloaded with that response; see the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._robots_responses: dict[str, Response] = {}

    async def process_request(self, request: Request) -> Response | None:
        await super().process_request(request)
        parts = urlparse_cached(request)
        downloaded = self._robots_responses.get(parts.netloc)
        if parts.path == "/robots.txt" and downloaded is not None and not request.meta.get("dont_obey_robotstxt"):
            self.crawler.stats.inc_value("robotstxt/reused")
            return downloaded.replace(request=request)
        return None

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status == 200 and response.url == response.request.url:  # not a redirect's or an error's answer
            self._robots_responses[netloc] = response
        await super()._parse_robots(response, netloc, request)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(pending, Deferred):  # another request is downloading this site's robots.txt
            return await maybe_deferred_to_future(_branch(pending))
        return await super().robot_parser(request)


def _branch(deferred: Deferred) -> Deferred:
    """A Deferred that fires with ``deferred``'s result, leaving that result in place for the next waiter."""
    branch: Deferred = Deferred()

    def relay(result: object) -> object:
        branch.callback(result)
        return result

    deferred.addCallback(relay)  # the stock middleware only ever calls back, with a parser or None
    return branch
