"""What the spiders yield: an extracted article, or the record of a page that did not become one.

Plain dataclasses (Scrapy handles them through itemadapter), so extraction, pipelines and tests share them
without depending on Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum


class Retry(Enum):
    """What the next runs do about a URL that failed."""

    NEVER = "never"
    """A lasting reason (not an article by the site's own choice, 404, robots-disallowed ...): not requested again."""
    NEXT_RUN = "next run"
    """The site or the network may answer next time (timeouts, connection errors, 429, 5xx): requested again."""
    NEW_EXTRACTOR = "new extractor"
    """Judged by the extractor, not by the site: requested again (and ``reextract`` looks again at the archived
    page) once :data:`crawler.extraction.EXTRACTOR_VERSION` is newer than the version that judged it."""


class FailureReason(StrEnum):
    """Why a fetched page did not become an article (``failures.reason``), with its :attr:`retry` policy. Besides
    these, ``http_<status>`` (:func:`http_failure`): retried next run for 429 and 5xx, never for the others."""

    NOT_ARTICLE = "not_article"
    PARSE_ERROR = "parse_error"
    EMPTY_TITLE = "empty_title"
    EMPTY_TEXT = "empty_text"
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    DNS_ERROR = "dns_error"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_LOST = "connection_lost"
    TRUNCATED = "truncated"
    DOWNLOAD_ERROR = "download_error"
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    OFFSITE_REDIRECT = "offsite_redirect"
    ROBOTS_DISALLOWED = "robots_disallowed"
    ROBOTS_UNAVAILABLE = "robots_unavailable"

    @property
    def retry(self) -> Retry:
        if self in (FailureReason.NOT_ARTICLE, FailureReason.PARSE_ERROR):
            return Retry.NEW_EXTRACTOR
        if self in (
            FailureReason.TIMEOUT,
            FailureReason.DNS_ERROR,
            FailureReason.CONNECTION_REFUSED,
            FailureReason.CONNECTION_LOST,
            FailureReason.TRUNCATED,
            FailureReason.DOWNLOAD_ERROR,
            FailureReason.ROBOTS_UNAVAILABLE,
        ):
            return Retry.NEXT_RUN
        return Retry.NEVER


def http_failure(status: int) -> str:
    """The failure reason of an HTTP error status: ``http_404``."""
    return f"http_{status}"


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
EXTRACTOR_JUDGED = tuple(reason.value for reason in FailureReason if reason.retry is Retry.NEW_EXTRACTOR)


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
