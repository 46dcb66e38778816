"""The replica HTTP server: one ThreadingHTTPServer serving the four outlets, routed by the ``Host`` header.

The crawler sends each request for a live URL (``https://antv.gov.vn/x.html``) to this server with the live host
in ``Host``; every URL inside the pages is the live one, so nothing of the replica address leaks into crawled
data. Pages are rendered per request from the deterministic content model; nothing is pre-rendered.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from crawler.replica.content import ReplicaArticle
from crawler.replica.faults import FaultInjector
from crawler.replica.relocated import relocated
from crawler.replica.render import http_date
from crawler.replica.site import Response, Site, html_response, if_modified_since
from crawler.replica.sites import LISTINGS, all_site_classes


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:  # what the real sites' front servers announce
        return "nginx"

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        if self.server.replica.delay:  # a remote site's latency; each request has its own thread
            time.sleep(self.server.replica.delay)
        host = (self.headers.get("Host") or "").split(":")[0].strip().lower().rstrip(".")
        site = self.server.sites.get(host)
        response: Response | None
        if site is None:
            response = html_response("<!DOCTYPE html><title>404</title><h1>404 Not Found</h1>", 404)
        else:
            try:
                response = site.handle(self.path)
            except Exception:  # a template bug must show up as a 500, not kill the connection
                self.server.replica.errors.append((host, self.path))
                response = html_response("<!DOCTYPE html><title>500</title><h1>500</h1>", 500)
            if self.server.replica.faults:
                response = self.server.replica.faults.apply(self, site, response)
        if response is None:  # a fault reset the connection or sent a broken response itself
            self.server.replica.record(host, self.path, 0)
            return
        if response.status == 200 and if_modified_since(self.headers.get("If-Modified-Since"), response.last_modified):
            response = Response(304, b"", response.content_type, last_modified=response.last_modified)
        self.server.replica.record(host, self.path, response.status)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)) if response.status != 304 else "0")
        if response.last_modified is not None:
            self.send_header("Last-Modified", http_date(response.last_modified))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and response.status != 304:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the access log is kept in memory
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sites: dict[str, Site]
    replica: ReplicaServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (timeouts, cancelled oversized downloads) and injected resets are expected; anything
        # else is a bug worth the traceback.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class ReplicaServer:
    """Offline replicas of the four outlets behind one address.

    >>> with ReplicaServer(articles_per_outlet=50) as replica:
    ...     replica.url  # "http://127.0.0.1:<port>"; send requests with Host: antv.gov.vn etc.
    """

    def __init__(
        self,
        articles_per_outlet: int = 50,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Iterable[str] = (),
        layout: str = "standard",
        delay: float = 0.0,
        listings: str = "standard",
    ) -> None:
        self.articles_per_outlet = articles_per_outlet
        self.delay = delay
        """Seconds every response is held back, like a remote site's latency (tests of parallel crawling)."""
        self.layout = layout
        """"standard", or "redesign": every page in the redesigned templates (same URLs, content, ground truth)."""
        if listings not in LISTINGS:
            raise ValueError(f"unknown listings {listings!r}; known: {', '.join(LISTINGS)}")
        self.listings = listings
        """"standard", or "relocated": sections moved, the outlets' listing URLs, feeds and sitemaps 404
        (crawler/replica/relocated.py)."""
        self.host = host
        self.port = port
        self.sites: dict[str, Site] = {}
        self.site_classes = all_site_classes(layout)
        if listings == "relocated":
            self.site_classes = [
                relocated(site_class, position) for position, site_class in enumerate(self.site_classes)
            ]
        for site_class in self.site_classes:
            site = site_class(articles_per_outlet)
            for name in site_class.hosts:
                self.sites[name] = site
        self.access_log: list[tuple[str, str, int]] = []
        """(host, path with query, status) of every request served, in order; status 0: a fault broke the connection."""
        self.errors: list[tuple[str, str]] = []
        self.published = 0
        """Articles per outlet published since the server started (:meth:`publish`)."""
        self.faults = FaultInjector(self.sites.values(), faults)
        """Faults switched on (crawler/replica/faults.py); request times of the faulty articles."""
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def record(self, host: str, path: str, status: int) -> None:
        with self._lock:
            self.access_log.append((host, path, status))

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("replica server not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def faulty_urls(self, fault: str) -> set[str]:
        """Canonical live URLs of the articles that fault ``fault`` hits."""
        return self.faults.faulty_urls(fault)

    def site(self, outlet: str) -> Site:
        return next(site for site in self.sites.values() if site.name == outlet)

    def publish(self, count: int = 1) -> dict[str, list[ReplicaArticle]]:
        """Publish ``count`` new articles per outlet, newer than every other (on top of listings, feeds and
        sitemaps; existing URLs unchanged; see crawler/replica/publishing.py). Returns them per outlet."""
        from crawler.replica.publishing import build_site

        self.published += count
        added = {}
        for site_class in self.site_classes:
            old = self.site(site_class.name)
            site = build_site(site_class, self.articles_per_outlet, self.published)
            site.revisions = old.revisions
            for name in site_class.hosts:
                self.sites[name] = site  # the handler reads this dict
            fresh = site.articles[len(site.articles) - self.published :]  # every published article, newest first
            added[site.name] = fresh[:count]
        return added

    def revise(self, url: str, paragraph: str) -> ReplicaArticle:
        """Serve the article at canonical ``url`` with ``paragraph`` added to its body and a later Last-Modified;
        returns the edited article."""
        from crawler.replica.publishing import revised

        site = next(site for site in self.sites.values() if url.startswith(site.home))
        path = "/" + url.split("/", 3)[3]
        current = site.revisions.get(path, (site.by_path[path], None))[0]
        edited = revised(current, paragraph)
        site.revisions = {**site.revisions, path: edited}
        return edited[0]

    def start(self) -> ReplicaServer:
        if self._httpd is not None:
            return self
        httpd = _Server((self.host, self.port), _Handler)
        httpd.sites = self.sites
        httpd.replica = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="replica-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    port: int = 8800,
    articles_per_outlet: int = 50,
    host: str = "127.0.0.1",
    layout: str = "standard",
    listings: str = "standard",
) -> None:
    """Run the replicas in the foreground until interrupted (``python -m crawler replica``, which prints the
    address); no request logging."""
    replica = ReplicaServer(articles_per_outlet, host, port, layout=layout, listings=listings).start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        replica.stop()
