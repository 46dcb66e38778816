"""Replica pages as pure functions, for evaluation harnesses that need a page without running the server.

``article_page(outlet, article, layout)`` is exactly the HTML the server sends for that article with
``ReplicaServer(articles_per_outlet=count, layout=layout)``; ``page(outlet, url, layout)`` answers any URL of the
outlet (listings, soft 404s, tag pages...) as the server would.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from crawler.replica.content import ReplicaArticle
from crawler.replica.site import Response, Site
from crawler.replica.sites import site_class

DEFAULT_COUNT = 50


@lru_cache(maxsize=16)
def site(outlet: str, layout: str = "standard", count: int = DEFAULT_COUNT) -> Site:
    """The outlet's replica site (cached: building one generates ``count`` articles)."""
    return site_class(outlet, layout)(count)


def article_page(outlet: str, article: ReplicaArticle, layout: str = "standard", count: int | None = None) -> str:
    """The HTML of ``article``'s page in ``layout`` ("standard" or "redesign"). ``count``: articles per outlet of
    the site the page belongs to (default: 50, or enough to hold ``article``); it only changes which other
    articles the page's noise boxes list."""
    count = max(count or DEFAULT_COUNT, article.index + 1)
    return site(outlet, layout, count).render_article(article)


def page(outlet: str, url: str, layout: str = "standard", count: int = DEFAULT_COUNT) -> Response:
    """The response to a GET of any live ``url`` of the outlet (status, body, content type)."""
    parts = urlsplit(url)
    return site(outlet, layout, count).handle(parts.path + (f"?{parts.query}" if parts.query else ""))
