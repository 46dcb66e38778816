"""URL canonicalisation: one form per article, whatever link, host variant or tracking tail reached it."""

from __future__ import annotations

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


@lru_cache(maxsize=CANONICAL_URL_CACHE)
def _canonical_url(url: str, outlet: type[Outlet] | None) -> str:
    cleaned = url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, keep_fragments=False)
    canonical = canonicalize_url(cleaned)
    if outlet is not None and outlet.owns(canonical):
        home = urlsplit(outlet.home)
        parts = urlsplit(canonical)
        canonical = urlunsplit((home.scheme, home.netloc, parts.path, parts.query, ""))
    return canonical
