"""URL canonicalisation: one form per article, whatever link, host variant or tracking tail reached it."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

from crawler.outlet import Outlet

TRACKING_PARAMETERS = (
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "utm_id",
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "zarsrc",
    "zacc",
    "gidzl",
    "_gl",
    "ref",
    "cmpid",
)


#: Entries of :func:`canonical_url`'s cache. The same URLs come back many times (a listing's links on every listing
#: page, the fetched URL and the page's canonical link at extraction) and w3lib's canonicalisation is pure Python.
CANONICAL_URL_CACHE = 4096


def canonical_url(url: str, outlet: type[Outlet] | None = None) -> str:
    """The canonical form of ``url``: tracking parameters dropped, query sorted, fragment removed, and, for an
    outlet's URL, the outlet's canonical scheme and host (``www.``/``beta.`` variants folded)."""
    return _canonical_url(url, outlet)  # type: ignore[arg-type]  # a class is hashable; mypy does not see it


#: A URL that w3lib's canonicalisation leaves as it is: http(s), a lower-case host without a port, a path of
#: unreserved characters without empty or dot segments, no query, no fragment. Most article URLs are; told by one
#: regex, where the canonicalisation costs as much as several rules of an extraction.
ALREADY_CANONICAL = re.compile(r"https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?:(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+/?|/)")


@lru_cache(maxsize=CANONICAL_URL_CACHE)
def _canonical_url(url: str, outlet: type[Outlet] | None) -> str:
    if ALREADY_CANONICAL.fullmatch(url):
        canonical = url
    else:
        canonical = canonicalize_url(url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, keep_fragments=False))
    if outlet is not None and outlet.owns(canonical):
        home = urlsplit(outlet.home)
        parts = urlsplit(canonical)
        canonical = urlunsplit((home.scheme, home.netloc, parts.path, parts.query, ""))
    return canonical
