"""Fault injection: the replica misbehaves the way real news sites and their front servers do.

``ReplicaServer(faults=("http_429", ...))`` switches faults on by name (see :data:`FAULTS` and the README's "Faults"
section). Each fault hits a fixed share of the ARTICLE pages of every outlet — one in :data:`FAULT_SHARE`, chosen by
a stable hash of the fault name and the path, so the same articles on every run and different articles per fault
— and nothing else: robots.txt, listings, feeds and sitemaps stay healthy, so discovery still reaches every article
and a test knows exactly which URLs were hit (:meth:`FaultInjector.faulty_urls`) and when each was requested
(:meth:`FaultInjector.request_times`).

A fault is a function ``(hit) -> Response | None`` that gets the response the replica would have sent and returns
the one to send instead, or writes to the socket itself and returns None (a reset connection, a truncated body).
Transient faults (5xx bursts, 429, resets, truncation) misbehave on the first attempts of a URL only, so a crawler
that retries gets the article; the others misbehave on every request, so the page must end as a recorded failure.
"""

from __future__ import annotations

import gzip
import re
import socket
import struct
import threading
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from crawler.replica.content import ReplicaArticle
from crawler.replica.site import HTML, Response, Site, html_response, redirect

FAULT_SHARE = 7
"""One article in this many, per outlet and fault, is faulty."""
TRANSIENT_ATTEMPTS = 2
"""Transient faults misbehave on this many first requests of a URL, then the page is served normally."""
RETRY_AFTER_SECONDS = 2
"""``Retry-After`` of a 429."""
SLOW_SECONDS = 5.0
"""How long a slow page takes before it starts answering: set ``DOWNLOAD_TIMEOUT`` well below it (a crawler's
reactor busy parsing pages notices its timeouts late, so a small margin lets a slow page through now and then)."""
OVERSIZED_BYTES = 1024 * 1024
"""What an oversized page carries on top of the article: set ``DOWNLOAD_MAXSIZE`` below it."""
BOMB_BYTES = 16 * 1024 * 1024
"""Decompressed size of a gzip bomb (about 16 KB on the wire)."""
LOOP_PARAMETER = "redirect-loop"


@dataclass(frozen=True)
class Hit:
    """One request for a faulty article, as a fault sees it."""

    handler: BaseHTTPRequestHandler
    site: Site
    article: ReplicaArticle
    response: Response
    """What the replica would have answered."""
    attempt: int
    """1 for the first request of this article (any host, any query), 2 for the second ..."""
    query: str


Fault = Callable[[Hit], "Response | None"]
FAULTS: dict[str, Fault] = {}
"""Every fault by name, in README order."""


def fault(name: str) -> Callable[[Fault], Fault]:
    def register(function: Fault) -> Fault:
        FAULTS[name] = function
        return function

    return register


def error_page(status: int, title: str) -> str:
    return f"<!DOCTYPE html><html><head><title>{status} {title}</title></head><body><h1>{title}</h1></body></html>"


# --- HTTP-level faults ---------------------------------------------------------------------------------------------


@fault("http_5xx_burst")
def http_5xx_burst(hit: Hit) -> Response:
    """503, then 500, then the page: an overloaded back end. No Retry-After: the crawler's own backoff applies."""
    if hit.attempt > TRANSIENT_ATTEMPTS:
        return hit.response
    status, title = (503, "Service Unavailable") if hit.attempt % 2 else (500, "Internal Server Error")
    return html_response(error_page(status, title), status)


@fault("http_429")
def http_429(hit: Hit) -> Response:
    """429 Too Many Requests with ``Retry-After`` in seconds, then the page."""
    if hit.attempt > 1:
        return hit.response
    response = html_response(error_page(429, "Too Many Requests"), 429)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@fault("slow")
def slow(hit: Hit) -> Response:
    """Every request waits :data:`SLOW_SECONDS` before answering: past the crawler's timeout, every time."""
    time.sleep(SLOW_SECONDS)
    return hit.response


@fault("redirect_loop")
def redirect_loop(hit: Hit) -> Response:
    """A -> A?redirect-loop=1 -> A -> ...: a canonicalisation rule fighting another one."""
    if LOOP_PARAMETER in hit.query:
        return redirect(hit.article.url, 302)
    return redirect(f"{hit.article.url}?{LOOP_PARAMETER}=1", 302)


@fault("removed")
def removed(hit: Hit) -> Response:
    """404 on every request: an article taken down while listings, feeds and sitemaps still link it."""
    return html_response(error_page(404, "Not Found"), 404)


@fault("soft_404")
def soft_404(hit: Hit) -> Response:
    """The site's "page not found" page in full chrome, with status 200."""
    return html_response(hit.site.render_404(urlsplit(hit.article.url).path))


# --- connection-level faults ---------------------------------------------------------------------------------------


@fault("connection_reset")
def connection_reset(hit: Hit) -> Response | None:
    """The connection is reset (TCP RST) before any response on the first attempts, then the page."""
    if hit.attempt > TRANSIENT_ATTEMPTS:
        return hit.response
    connection = hit.handler.connection
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()
    hit.handler.close_connection = True
    return None


@fault("truncated_body")
def truncated_body(hit: Hit) -> Response | None:
    """``Content-Length`` announces the whole page, half of it is sent, the connection closes (first attempts)."""
    if hit.attempt > TRANSIENT_ATTEMPTS:
        return hit.response
    body = hit.response.body
    handler = hit.handler
    handler.send_response(200)
    handler.send_header("Content-Type", hit.response.content_type)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body[: len(body) // 2])
    handler.close_connection = True
    return None


# --- size faults ---------------------------------------------------------------------------------------------------


@fault("oversized")
def oversized(hit: Hit) -> Response:
    """The page plus :data:`OVERSIZED_BYTES` of inline data (a base64 image, a runaway comment thread)."""
    padding = b"<!--" + b"x" * OVERSIZED_BYTES + b"-->"
    return replace(hit.response, body=_before_body_end(hit.response.body, padding))


@fault("gzip_bomb")
def gzip_bomb(hit: Hit) -> Response:
    """``Content-Encoding: gzip``: a few KB on the wire that decompress to :data:`BOMB_BYTES`."""
    padding = b"<!--" + b" " * BOMB_BYTES + b"-->"
    body = gzip.compress(_before_body_end(hit.response.body, padding), compresslevel=9, mtime=0)
    return replace(hit.response, body=body, headers={**hit.response.headers, "Content-Encoding": "gzip"})


@fault("undeclared_gzip")
def undeclared_gzip(hit: Hit) -> Response:
    """The page gzip-compressed but sent without ``Content-Encoding`` (a proxy compressing a cached page twice):
    binary bytes under ``text/html``, which no charset turns into text."""
    return replace(hit.response, body=gzip.compress(hit.response.body, mtime=0))


def _before_body_end(page: bytes, insert: bytes) -> bytes:
    return page.replace(b"</body>", insert + b"</body>", 1)


# --- encoding faults -----------------------------------------------------------------------------------------------

META_CHARSET = re.compile(r'<meta charset="[^"]*">\n?')
# Tone marks windows-1258 writes as separate combining characters after the vowel.
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


def to_windows_1258(text: str) -> bytes:
    """``text`` in windows-1258, as a legacy Vietnamese CMS writes it: base letters (ă, ê, ơ ...) precomposed, tone
    marks as combining characters; anything else as numeric character references."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in TONE_MARKS))
        out.append(base + tones if tones else char)
    return "".join(out).encode("cp1258", "xmlcharrefreplace")


def with_charset(
    hit: Hit, meta_charset: str | None, encode: Callable[[str], bytes], header_charset: str | None
) -> Response:
    """The page re-encoded by ``encode``, its ``<meta charset>`` replaced (or removed when None) and its
    ``Content-Type`` header naming ``header_charset`` (or no charset)."""
    html = hit.response.body.decode("utf-8")
    html = META_CHARSET.sub(f'<meta charset="{meta_charset}">\n' if meta_charset else "", html, count=1)
    content_type = f"text/html; charset={header_charset}" if header_charset else "text/html"
    return replace(hit.response, body=encode(html), content_type=content_type)


@fault("windows1258_wrong_header")
def windows1258_wrong_header(hit: Hit) -> Response:
    """Encoded in windows-1258 and declared so in ``<meta charset>``; the HTTP header says utf-8 (on every other
    faulty page: says nothing)."""
    header = "utf-8" if _stable_hash(hit.article.path) % 2 else None
    return with_charset(hit, "windows-1258", to_windows_1258, header)


@fault("utf8_undeclared")
def utf8_undeclared(hit: Hit) -> Response:
    """utf-8 with no charset anywhere: no ``<meta charset>``, none in the header."""
    return with_charset(hit, None, lambda html: html.encode("utf-8"), None)


@fault("windows1258_undeclared")
def windows1258_undeclared(hit: Hit) -> Response:
    """windows-1258 with no charset anywhere."""
    return with_charset(hit, None, to_windows_1258, None)


@fault("python_codec_charset")
def python_codec_charset(hit: Hit) -> Response:
    """utf-8, but the header and ``<meta charset>`` name ``raw_unicode_escape``: a Python codec, not a web encoding.
    Read by that name the page is mojibake, and the ``\\udc80`` escape of its script a lone surrogate (which no
    UTF-8 database or archive write takes)."""
    response = with_charset(hit, "raw_unicode_escape", lambda html: html.encode("utf-8"), "raw_unicode_escape")
    return replace(response, body=_before_body_end(response.body, b'<script>var mark = "\\udc80";</script>'))


# --- markup faults -------------------------------------------------------------------------------------------------


@fault("malformed_html")
def malformed_html(hit: Hit) -> Response:
    """Tag soup as hand-edited CMS pages have it: no ``</p>`` anywhere, a stray ``</div>`` and ``</span>`` before
    any element is open, the first paragraph nested in an extra ``<p>``, and ``<li>`` left unclosed."""
    html = hit.response.body.decode("utf-8")
    html = html.replace("<body", "</div></span><body", 1)
    html = re.sub(r"<p(\s[^>]*)?>", lambda match: "<p>" + match.group(0), html, count=1)
    html = html.replace("</p>", "").replace("</li>", "")
    return replace(hit.response, body=html.encode("utf-8"), content_type=HTML)


# --- identity faults -----------------------------------------------------------------------------------------------

_CANONICAL = re.compile(r'(<link rel="canonical" href=")[^"]*(")|(<meta property="og:url" content=")[^"]*(")')


def with_canonical(hit: Hit, url: str) -> Response:
    """The page with its ``link rel=canonical`` and ``og:url`` naming ``url``."""
    html = hit.response.body.decode("utf-8")
    html = _CANONICAL.sub(lambda m: f"{m.group(1) or m.group(3)}{url}{m.group(2) or m.group(4)}", html)
    return replace(hit.response, body=html.encode("utf-8"), content_type=HTML)


@fault("canonical_home")
def canonical_home(hit: Hit) -> Response:
    """A CMS template bug: the article's canonical link (and ``og:url``) names the home page."""
    return with_canonical(hit, hit.site.home)


@fault("canonical_other")
def canonical_other(hit: Hit) -> Response:
    """A hostile or copy-pasted canonical: every article this fault hits names the first of them as canonical."""
    return with_canonical(hit, faulty_articles(hit.site, "canonical_other")[0].url)


# --- selection and bookkeeping -------------------------------------------------------------------------------------


def _stable_hash(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def faulty_articles(site: Site, name: str) -> list[ReplicaArticle]:
    """The articles of ``site`` that fault ``name`` hits: every :data:`FAULT_SHARE`-th in stable-hash order (at
    least one per outlet)."""
    ranked = sorted(site.articles, key=lambda article: _stable_hash(f"{name}|{article.path}"))
    return ranked[::FAULT_SHARE]


class FaultInjector:
    """The faults switched on for one replica server, which article each hits, and every request each received."""

    def __init__(self, sites: Iterable[Site], names: Iterable[str] = ()) -> None:
        self.names = tuple(names)
        unknown = [name for name in self.names if name not in FAULTS]
        if unknown:
            raise ValueError(f"unknown replica faults {unknown}; known: {', '.join(FAULTS)}")
        # (site name, article path) -> the faults that hit it. Paths are matched whatever the host variant or query.
        self._targets: dict[tuple[str, str], list[str]] = {}
        self._faulty_urls: dict[str, set[str]] = {name: set() for name in self.names}
        for site in {site.name: site for site in sites}.values():
            for name in self.names:
                for article in faulty_articles(site, name):
                    self._targets.setdefault((site.name, article.path), []).append(name)
                    self._faulty_urls[name].add(article.url)
        self._requests: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self.names)

    def faulty_urls(self, name: str) -> set[str]:
        """Canonical live URLs of the articles fault ``name`` hits."""
        return set(self._faulty_urls[name])

    def request_times(self, url: str) -> list[float]:
        """``time.monotonic()`` of every request for the faulty article ``url``, in order."""
        with self._lock:
            return list(self._requests.get(url, ()))

    def apply(self, handler: BaseHTTPRequestHandler, site: Site, response: Response) -> Response | None:
        """The response to send for this request: ``response`` itself unless a fault hits the article, or None when
        a fault has already dealt with the connection."""
        parts = urlsplit(handler.path)
        names = self._targets.get((site.name, parts.path or "/"))
        if not names:
            return response
        article = site.by_path[parts.path]
        with self._lock:
            times = self._requests.setdefault(article.url, [])
            times.append(time.monotonic())
            attempt = len(times)
        for name in names:  # several faults on one article compose, in the order they were switched on
            hit = Hit(handler, site, article, response, attempt, parts.query)
            faulted = FAULTS[name](hit)
            if faulted is None:
                return None
            response = faulted
        return response
