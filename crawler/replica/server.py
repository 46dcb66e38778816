"""The replica HTTP server: one ThreadingHTTPServer serving the four outlets, routed by the ``Host`` header.

The crawler sends each request for a live URL (``https://antv.gov.vn/x.html``) to this server with the live host
in ``Host``; every URL inside the pages is the live one, so nothing of the replica address leaks into crawled
data. Pages are rendered per request from the deterministic content model; nothing is pre-rendered.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from crawler.replica.render import http_date
from crawler.replica.site import Response, Site, html_response, if_modified_since
from crawler.replica.sites import all_site_classes


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:  # what the real sites' front servers announce
        return "nginx"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _serve(self, send_body: bool) -> None:
        host = (self.headers.get("Host") or "").split(":")[0].strip().lower().rstrip(".")
        site = self.server.sites.get(host)
        if site is None:
            response = html_response("<!DOCTYPE html><title>404</title><h1>404 Not Found</h1>", 404)
        else:
            try:
                response = site.handle(self.path)
            except Exception:  # a template bug must show up as a 500, not kill the connection
                self.server.replica.errors.append((host, self.path))
                response = html_response("<!DOCTYPE html><title>500</title><h1>500</h1>", 500)
        if response.status == 200 and if_modified_since(self.headers.get("If-Modified-Since"),
                                                        response.last_modified):
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
    replica: "ReplicaServer"


class ReplicaServer:
    """Offline replicas of the four outlets behind one address.

    >>> with ReplicaServer(articles_per_outlet=50) as replica:
    ...     replica.url  # "http://127.0.0.1:<port>"; send requests with Host: antv.gov.vn etc.
    """

    def __init__(self, articles_per_outlet: int = 50, host: str = "127.0.0.1", port: int = 0) -> None:
        self.articles_per_outlet = articles_per_outlet
        self.host = host
        self.port = port
        self.sites: dict[str, Site] = {}
        for site_class in all_site_classes():
            site = site_class(articles_per_outlet)
            for name in site_class.hosts:
                self.sites[name] = site
        self.access_log: list[tuple[str, str, int]] = []
        """(host, path with query, status) of every request served, in order."""
        self.errors: list[tuple[str, str]] = []
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
        return f"http://{host}:{port}"

    def site(self, outlet: str) -> Site:
        return next(site for site in self.sites.values() if site.name == outlet)

    def start(self) -> "ReplicaServer":
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

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(port: int = 8800, articles_per_outlet: int = 50, host: str = "127.0.0.1") -> None:
    """Run the replicas in the foreground until interrupted (``python -m crawler replica``, which prints the
    address); no request logging."""
    replica = ReplicaServer(articles_per_outlet, host, port).start()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        replica.stop()
