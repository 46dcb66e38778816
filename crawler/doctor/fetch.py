"""The doctor's polite HTTP client: one outlet's pages, one at a time, as a crawl would fetch them.

Plain ``urllib`` rather than a Scrapy crawl: the doctor fetches a few dozen pages in order and reads each at once,
and a Twisted reactor cannot be started twice in one process (tests, ``--all``). What a crawl does that matters
here is kept: the project's User-Agent, robots.txt read with the crawl's parser (Protego, Scrapy's default) and
as RFC 9309 says (4xx: no rules; 5xx or no answer: nothing may be fetched), a delay between requests, a timeout,
a size limit, redirects followed only on the outlet's hosts, and replica routing as ``crawl --replica`` does it
(:func:`crawler.replica_routing.replica_request_url`: the replica's address, the live host in ``Host``).
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from protego import Protego

from crawler import settings as project_settings
from crawler.items import FailureReason, http_failure
from crawler.outlet import Outlet
from crawler.replica_routing import replica_request_url


@dataclass(frozen=True)
class FetchOptions:
    """Bounds and manners of the doctor's requests: the crawl's own (``crawler/settings.py``), and the doctor's page
    budget."""

    user_agent: str
    timeout: float = project_settings.DOWNLOAD_TIMEOUT
    """Seconds to wait for a connection or a read."""
    max_bytes: int = project_settings.DOWNLOAD_MAXSIZE
    """A response larger than this is not read."""
    max_pages: int = 80
    """Requests per outlet at most, robots.txt, sitemaps and sample articles included."""
    delay: float = project_settings.DOWNLOAD_DELAY
    """Seconds between two requests; 0 against a replica, as ``crawl --replica``."""
    max_redirects: int = 5
    """Redirects followed per request, on the outlet's hosts only."""
    robots_max_bytes: int = project_settings.ROBOTSTXT_MAX_SIZE
    """robots.txt is parsed up to this many bytes."""


@dataclass
class Fetched:
    """One response, or why there is none."""

    url: str
    """The live URL asked for."""
    status: int | None = None
    body: bytes = b""
    content_type: str = ""
    error: str | None = None
    """A failure reason of :class:`~crawler.items.FailureReason` or ``http_<status>``; None for a 2xx."""
    detail: str | None = None
    """What the network layer said, for a failure without a response (``CERTIFICATE_VERIFY_FAILED``)."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def outcome(self) -> str:
        """``200``, ``http_404``, ``timeout`` ...: what the operator reads."""
        return self.error or str(self.status)


class PageBudgetSpent(Exception):
    """The outlet's ``max_pages`` requests are spent."""


class ReplicaUnreachable(Exception):
    """The ``--replica`` address does not answer: the doctor cannot examine anything."""


#: Failures that say the replica itself is not there (a wrong ``--replica``), not something of the outlet.
REPLICA_ABSENT = (FailureReason.CONNECTION_REFUSED, FailureReason.DNS_ERROR)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by :meth:`Fetcher.get` (routed, on the outlet's hosts only), not by urllib."""

    def redirect_request(self, *args, **kwargs):
        return None


#: The live sites through the proxies of the environment (``https_proxy``, ``no_proxy``), as Scrapy's
#: HttpProxyMiddleware does; a replica directly.
_LIVE = urllib.request.build_opener(_NoRedirects)
_REPLICA = urllib.request.build_opener(_NoRedirects, urllib.request.ProxyHandler({}))


class Fetcher:
    """Fetches one outlet's pages within :class:`FetchOptions`, robots.txt first."""

    def __init__(self, outlet: type[Outlet], options: FetchOptions, replica_url: str | None = None):
        self.outlet = outlet
        self.options = options
        self.replica_url = replica_url
        self.requests = 0
        self._last = 0.0
        self.robots: Protego | None = None
        self.robots_unavailable: str | None = None
        """Why robots.txt could not be read (5xx, timeout, connection error): then nothing is fetched."""

    def read_robots(self) -> Fetched:
        """Fetch and parse robots.txt; afterwards :meth:`allowed` answers."""
        fetched = self.get(
            self.outlet.absolute("robots.txt"),
            max_bytes=self.options.robots_max_bytes,
            truncate=True,
            obey_robots=False,
        )
        if fetched.ok:
            self.robots = Protego.parse(fetched.body.decode("utf-8", errors="ignore"))
        elif fetched.status is None or fetched.status >= 500:  # RFC 9309 §2.3.1.4: unreachable, assume disallowed
            self.robots_unavailable = fetched.outcome
        return fetched

    def allowed(self, url: str) -> bool:
        if self.robots_unavailable is not None:
            return False
        return self.robots is None or self.robots.can_fetch(url, self.options.user_agent)

    def get(self, url: str, max_bytes: int | None = None, truncate: bool = False, obey_robots: bool = True) -> Fetched:
        """The page at the live ``url``, redirects on the outlet's hosts followed. Raises :class:`PageBudgetSpent`
        when the outlet's requests are spent and :class:`ReplicaUnreachable` when the replica refuses."""
        limit = max_bytes or self.options.max_bytes
        seen = [url]
        for _ in range(self.options.max_redirects + 1):
            if obey_robots and not self.allowed(url):
                reason = (
                    FailureReason.ROBOTS_UNAVAILABLE if self.robots_unavailable else FailureReason.ROBOTS_DISALLOWED
                )
                return Fetched(seen[0], error=str(reason))
            fetched, location = self._get_once(url, limit, truncate)
            if location is None:
                fetched.url = seen[0]
                return fetched
            url = urljoin(url, location)
            if not self.outlet.owns(url):
                return Fetched(seen[0], fetched.status, error=str(FailureReason.OFFSITE_REDIRECT))
            if url in seen:
                return Fetched(seen[0], fetched.status, error=str(FailureReason.REDIRECT_LOOP))
            seen.append(url)
        return Fetched(seen[0], error=str(FailureReason.TOO_MANY_REDIRECTS))

    def _get_once(self, url: str, limit: int, truncate: bool) -> tuple[Fetched, str | None]:
        if self.requests >= self.options.max_pages:
            raise PageBudgetSpent(f"{self.options.max_pages} requests")
        wait = self._last + self.options.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.requests += 1
        headers = {"User-Agent": self.options.user_agent, "Accept-Encoding": "identity"}
        target, opener = url, _LIVE
        if self.replica_url:
            target, opener = replica_request_url(url, self.replica_url), _REPLICA
            headers["Host"] = urlsplit(url).netloc
        try:
            with opener.open(urllib.request.Request(target, headers=headers), timeout=self.options.timeout) as reply:
                return self._read(url, reply, limit, truncate), None
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400 and error.headers.get("Location"):
                return Fetched(url, error.code), error.headers["Location"]
            return Fetched(url, error.code, error=http_failure(error.code)), None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            cause = getattr(error, "reason", error)
            reason = _network_reason(cause)
            if self.replica_url and reason in REPLICA_ABSENT:
                raise ReplicaUnreachable(f"the replica at {self.replica_url} cannot be reached ({reason})") from None
            return Fetched(url, error=str(reason), detail=str(cause) or type(cause).__name__), None
        finally:
            self._last = time.monotonic()

    @staticmethod
    def _read(url: str, reply, limit: int, truncate: bool) -> Fetched:
        declared = reply.headers.get("Content-Length")
        content_type = reply.headers.get("Content-Type", "")
        if not truncate and declared and declared.isdigit() and int(declared) > limit:
            return Fetched(url, reply.status, content_type=content_type, error=str(FailureReason.TOO_LARGE))
        body = reply.read(limit + 1)
        if len(body) > limit:
            if not truncate:
                return Fetched(url, reply.status, content_type=content_type, error=str(FailureReason.TOO_LARGE))
            body = body[:limit]
        return Fetched(url, reply.status, body, content_type)


def _network_reason(error: object) -> FailureReason:
    """The crawl's failure reason (crawler/spider.py, FAILURE_REASONS) of a network error of urllib."""
    if isinstance(error, http.client.IncompleteRead):
        return FailureReason.TRUNCATED
    if isinstance(error, (TimeoutError, socket.timeout)):
        return FailureReason.TIMEOUT
    if isinstance(error, socket.gaierror):
        return FailureReason.DNS_ERROR
    if isinstance(error, ConnectionRefusedError):
        return FailureReason.CONNECTION_REFUSED
    if isinstance(error, (ConnectionError, http.client.HTTPException)):
        return FailureReason.CONNECTION_LOST
    return FailureReason.DOWNLOAD_ERROR
