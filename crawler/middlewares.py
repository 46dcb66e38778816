"""Downloader middlewares: retries that wait, redirects that notice a loop, robots.txt obeyed by every request.

:class:`BackoffRetryMiddleware` replaces Scrapy's RetryMiddleware, which retries 5xx, 429 and connection errors
at once: a server that just said "too many requests" or "unavailable" gets the same request again within
milliseconds. This one waits before each retry, as long as the server asked (``Retry-After`` on 429 and 503, in
seconds or as an HTTP date, capped by ``RETRY_AFTER_MAX``) or else exponentially longer each time
(``RETRY_BACKOFF_BASE`` · 2^n seconds, same cap). The wait is a non-blocking sleep on the reactor, so other
downloads go on meanwhile; the request keeps its place among ``CONCURRENT_REQUESTS`` while it waits.

:class:`LoopAwareRedirectMiddleware` replaces Scrapy's RedirectMiddleware. A redirect back to a URL of the same
chain (A -> B -> A) is, with the stock middleware, silently dropped by the scheduler's duplicate filter — no
response, no errback, no failure row; so is a redirect to another site, by Scrapy's OffsiteMiddleware. Here they
raise :class:`RedirectLoop` and :class:`OffsiteRedirect` (never fetched), and exhausting ``REDIRECT_MAX_TIMES``
raises :class:`TooManyRedirects`, so the spider's errback records each.

:class:`SharedRobotsTxtMiddleware` replaces Scrapy's RobotsTxtMiddleware, whose requests that arrive while a
site's robots.txt is still downloading all await one Deferred, through ``asFuture``, which consumes its result: the
first one gets the parser, every other one gets None, read as "no robots.txt", and is fetched even when disallowed
(Scrapy 2.19). The start requests of a crawl are exactly such a burst. Here each waiter gets its own Deferred.
It also keeps each site's robots.txt response: the spider's own request for robots.txt (it reads the sitemaps
named there) gets that response instead of downloading the file a second time (stat ``robotstxt/reused``).
And it reads robots.txt as RFC 9309 says, where Scrapy's parses whatever body came: a 4xx means no rules
(everything allowed); a 5xx (after retries), a timeout or a connection error means the site is unavailable and
nothing of it is fetched in this run (:class:`RobotsUnavailable`, failure reason ``robots_unavailable``, retried
next run; stat ``robotstxt/unavailable/<host>``); a file larger than ``ROBOTSTXT_MAX_SIZE`` is parsed up to there
rather than dropped as too large. Waits before retrying a robots.txt download, which holds every request of its
site, are capped by ``ROBOTSTXT_RETRY_WAIT_MAX`` (a ``Retry-After: 86400`` does not stall the crawl).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy import Request, signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.url import url_is_from_any_domain
from twisted.internet.defer import Deferred

from crawler import settings as project_settings
from crawler import stats_keys
from crawler.items import http_failure
from crawler.scrapy_compat import MAX_REDIRECTIONS_MESSAGE

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

#: Meta key of the robots.txt downloads of :class:`SharedRobotsTxtMiddleware`.
ROBOTS_DOWNLOAD = "robotstxt_download"
#: Statuses whose ``Retry-After`` header is honoured (RFC 9110 §10.2.3: 503 and 3xx; RFC 6585: 429).
RETRY_AFTER_STATUSES = frozenset({429, 503})
#: ``delay-seconds`` of RFC 9110 §10.2.3: ASCII digits only.
DELTA_SECONDS = re.compile(r"[0-9]+")


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per a ``Retry-After`` header value (delta-seconds or HTTP date), or None when absent or
    unparsable. A date in the past means 0."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if DELTA_SECONDS.fullmatch(value):  # not str.isdigit(): it accepts "²" and other non-ASCII digits
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # HTTP dates are GMT
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before retrying; see the module docstring. Settings: ``RETRY_BACKOFF_BASE``
    (seconds, default 1), ``RETRY_AFTER_MAX`` (seconds, default 120), plus the stock ``RETRY_*`` ones."""

    def __init__(self, settings: BaseSettings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.max_delay = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    # Scrapy 2.19 calls these without the deprecated spider argument and awaits a coroutine; its own annotations
    # still name the older, synchronous signature.
    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self.wait(request, response)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self.wait(request)
        return result

    async def wait(self, request: Request, response: Response | None = None) -> None:
        delay = self.delay(request, response)
        # Seconds waited, a float: Scrapy's stats add any number, though inc_value is annotated for counts.
        self.crawler.stats.inc_value(stats_keys.RETRY_WAIT_SECONDS, delay)  # type: ignore[arg-type]
        await sleep(delay)

    def delay(self, request: Request, response: Response | None = None) -> float:
        """Seconds to wait before retrying ``request``, which got ``response`` (None: a download error)."""
        # A robots.txt download holds every request of its site: it waits less (SharedRobotsTxtMiddleware).
        max_delay = min(self.max_delay, request.meta.get("retry_wait_max", self.max_delay))
        if response is not None and response.status in RETRY_AFTER_STATUSES:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                return min(asked, max_delay)
        retries_so_far = request.meta.get("retry_times", 0)
        return min(self.backoff_base * 2**retries_so_far, max_delay)


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to a URL already visited in the same chain."""


class TooManyRedirects(IgnoreRequest):
    """The chain of redirects is longer than ``REDIRECT_MAX_TIMES``."""


class OffsiteRedirect(IgnoreRequest):
    """A redirect leads off the spider's ``allowed_domains``."""


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """RedirectMiddleware that raises :class:`RedirectLoop`, :class:`TooManyRedirects` and
    :class:`OffsiteRedirect`; see the module docstring."""

    def process_response(  # type: ignore[override]  # Scrapy 2.19 calls it without the deprecated spider argument
        self, request: Request, response: Response
    ) -> Request | Response:
        try:
            result = super().process_response(request, response)
        except IgnoreRequest as error:
            if str(error) == MAX_REDIRECTIONS_MESSAGE:  # the stock middleware's only IgnoreRequest
                raise TooManyRedirects(f"more than {self.max_redirect_times} redirects from {request.url}") from error
            raise
        if isinstance(result, Request):
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                raise RedirectLoop(" -> ".join([*chain, result.url]))
            if self._offsite(result):
                self.crawler.stats.inc_value(stats_keys.REDIRECT_OFFSITE)
                raise OffsiteRedirect(f"{request.url} -> {result.url}")
        return result

    def _offsite(self, redirected: Request) -> bool:
        """Whether Scrapy's OffsiteMiddleware would drop ``redirected`` when it is scheduled (silently: no errback).
        robots.txt requests are downloaded outside the scheduler, and RFC 9309 lets them follow redirects anywhere."""
        allowed = getattr(self.crawler.spider, "allowed_domains", None)
        if (
            not allowed
            or redirected.dont_filter
            or redirected.meta.get("allow_offsite")
            or redirected.meta.get("dont_obey_robotstxt")
        ):
            return False
        return not url_is_from_any_domain(redirected.url, allowed)


class RobotsUnavailable(IgnoreRequest):
    """The site's robots.txt could not be read (5xx, timeout, connection error): nothing of the site is fetched in
    this run (RFC 9309 §2.3.1.4)."""


class _UnavailableRobots(RobotParser):
    """The parser of a site whose robots.txt is unavailable: why, and nothing is allowed."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> _UnavailableRobots:
        raise NotImplementedError("made by SharedRobotsTxtMiddleware when there is no robots.txt to parse")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RobotsTxtMiddleware whose requests waiting for a robots.txt download all get its parser, which answers a
    request for a robots.txt it downloaded with that response, and which reads robots.txt as RFC 9309 says; see the
    module docstring. Settings: ``ROBOTSTXT_MAX_SIZE`` (bytes parsed), ``ROBOTSTXT_RETRY_WAIT_MAX`` (seconds)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._robots_responses: dict[str, Response] = {}
        # crawler/settings.py's values stand when the crawl runs with other settings (a test's CrawlerProcess)
        self.max_size = crawler.settings.getint("ROBOTSTXT_MAX_SIZE", project_settings.ROBOTSTXT_MAX_SIZE)
        self.retry_wait_max = crawler.settings.getfloat(
            "ROBOTSTXT_RETRY_WAIT_MAX", project_settings.ROBOTSTXT_RETRY_WAIT_MAX
        )
        crawler.signals.connect(self._stop_long_robots, signal=signals.bytes_received)

    # Returns the stored robots.txt response for a repeated robots.txt request, which Scrapy's annotation (None)
    # does not foresee; Scrapy 2.19 calls it without the deprecated spider argument.
    async def process_request(self, request: Request) -> Response | None:  # type: ignore[override]
        if request.meta.get("dont_obey_robotstxt") and request.callback is NO_CALLBACK:  # this middleware's download
            # No DOWNLOAD_MAXSIZE cancel: the download stops at max_size (_stop_long_robots) and that much is read.
            # Each attempt (retries pass here again) counts its own bytes.
            request.meta.update(
                {ROBOTS_DOWNLOAD: True, "robots_bytes": 0, "download_maxsize": 0, "retry_wait_max": self.retry_wait_max}
            )
        await super().process_request(request)
        parts = urlparse_cached(request)
        downloaded = self._robots_responses.get(parts.netloc)
        if parts.path == "/robots.txt" and downloaded is not None and not request.meta.get("dont_obey_robotstxt"):
            self.crawler.stats.inc_value(stats_keys.ROBOTSTXT_REUSED)
            return downloaded.replace(request=request)
        return None

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, _UnavailableRobots):
            self.crawler.stats.inc_value(stats_keys.ROBOTSTXT_UNAVAILABLE_FORBIDDEN)
            raise RobotsUnavailable(f"robots.txt unavailable ({rp.reason}): not fetched in this run")
        super().process_request_2(rp, request)

    def _stop_long_robots(self, data: bytes, request: Request, spider: object = None) -> None:
        if request.meta.get(ROBOTS_DOWNLOAD):
            received = request.meta["robots_bytes"] = request.meta["robots_bytes"] + len(data)
            if received >= self.max_size:
                self.crawler.stats.inc_value(stats_keys.ROBOTSTXT_TRUNCATED)
                raise StopDownload(fail=False)  # the response so far reaches _parse_robots

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:  # retried already: the server cannot say what it allows
            self._unavailable(netloc, http_failure(response.status))
            return
        if response.status >= 400:  # 4xx: no robots.txt, everything allowed (RFC 9309 §2.3.1.3)
            response = response.replace(body=b"")
        elif len(response.body) > self.max_size:
            # At least the first max_size bytes are parsed (RFC 9309 §2.5), up to the last whole line.
            response = response.replace(body=response.body[: response.body.rfind(b"\n", 0, self.max_size) + 1])
        # Not a redirect's or an error's answer:
        if response.status == 200 and response.request is not None and response.url == response.request.url:
            self._robots_responses[netloc] = response
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # redirected away, or too often: no robots.txt, as Scrapy has it
            super()._robots_error(exc, netloc)
            return
        # Timeout, connection refused or reset, DNS: unreachable, so nothing is allowed (RFC 9309 §2.3.1.4).
        self._unavailable(netloc, type(exc).__name__)

    def _unavailable(self, netloc: str, reason: str) -> None:
        logger.warning("robots.txt of %s unavailable (%s): nothing of the site is fetched in this run", netloc, reason)
        self.crawler.stats.set_value(stats_keys.robotstxt_unavailable(netloc), reason)
        pending = self._parsers[netloc]  # Scrapy's private per-host parsers: scrapy_compat.py
        self._parsers[netloc] = parser = _UnavailableRobots(reason)
        if isinstance(pending, Deferred):
            pending.callback(parser)

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
