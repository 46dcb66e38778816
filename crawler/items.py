"""What the spiders yield: an extracted article, or the record of a page that did not become one.

Plain dataclasses (Scrapy handles them through itemadapter), so extraction, pipelines and tests share them
without depending on Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Image:
    url: str
    caption: str | None = None


@dataclass
class Article:
    """One article as extracted from its page. Field meanings are documented in the README's schema section."""

    outlet: str
    url: str
    """Canonical live URL (https, folded host, no tracking parameters)."""
    title: str
    lead: str
    """The sapo, dateline prefix kept as published ("(CLO) ...", "(ANTV) - ...")."""
    body: str
    """Paragraphs after the lead, joined by a blank line."""
    native_id: str | None = None
    author: str | None = None
    published: str | None = None
    """ISO 8601 with the +07:00 offset, or None when the page does not state it."""
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    extraction: str = "outlet"
    """Which path produced the text: ``outlet`` (the outlet's selectors matched) or ``generic`` (fallback)."""
    fetched_url: str | None = None
    """The URL actually fetched, when it differs from ``url``."""
    fetched_at: str | None = None
    """UTC ISO 8601 time of the download."""
    http_etag: str | None = None
    """The page's ``ETag`` response header, kept for conditional re-checks (If-None-Match)."""
    http_last_modified: str | None = None
    """The page's ``Last-Modified`` response header, kept for conditional re-checks (If-Modified-Since)."""
    raw_html: str | None = None
    """The page's HTML as extraction read it, for the raw page archive (``pages`` table, written by
    pipelines/store.py in the article's transaction); never stored in ``articles``. None when ``ARCHIVE_RAW_PAGES``
    is off."""
    http_status: int | None = None
    """The page's HTTP status, for the archive (set with ``raw_html``)."""
    http_headers: dict[str, str] | None = None
    """The page's response headers named in ``crawler.corpus.pages.ARCHIVED_HEADERS``, for the archive."""
    untrusted_canonical: str | None = None
    """The page's ``link rel=canonical`` when extraction did not believe it (another page of the site, e.g. the
    home page or another article): ``url`` is then the fetched URL's canonical form. Never stored."""


#: Failure reasons decided by the extractor, not by the site: not permanent. Their page is archived with the
#: extractor version that judged it (``failures.extractor_version``); ``python -m crawler reextract`` and the next
#: crawl examine them again once :data:`crawler.extraction.EXTRACTOR_VERSION` is newer.
EXTRACTOR_JUDGED = ("not_article", "parse_error")


@dataclass
class PageFailure:
    """A fetched page that did not become an article, with the reason (not an article, HTTP status, ...)."""

    outlet: str
    url: str
    reason: str
    """Short machine-readable reason: ``not_article``, ``http_404``, ``timeout``, ``parse_error`` ..."""
    detail: str | None = None
    status: int | None = None
    fetched_at: str | None = None
    extractor_version: int | None = None
    """For a reason in :data:`EXTRACTOR_JUDGED`: the extractor version that judged the page."""
    raw_html: str | None = None
    """For a reason in :data:`EXTRACTOR_JUDGED`: the page as extraction read it, archived like an article's (so
    that a later extractor can look at it again); None when ``ARCHIVE_RAW_PAGES`` is off."""
    http_headers: dict[str, str] | None = None
    """With ``raw_html``: the response headers the archive keeps, as for an article."""
