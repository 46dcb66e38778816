"""The raw page archive: the ``pages`` table (one compressed HTML page per canonical article URL), with the
response's status and the headers in :data:`ARCHIVED_HEADERS` (for ``export --format warc``)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlite_utils

from crawler.storage import utc_timestamp, write_transaction

if TYPE_CHECKING:
    from crawler.items import Article

COMPRESSION = "zlib"
#: The response headers kept with each page: what a web archive needs to replay it and to date it. Others (cookies,
#: caching, transfer and content encodings, lengths: the page is kept decoded) say nothing about the document.
ARCHIVED_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Date")


@dataclass
class PageRow:
    url: str
    outlet: str
    fetched_url: str | None
    fetched_at: str
    html: bytes
    """zlib-compressed UTF-8 HTML."""
    http_status: int | None = None
    http_headers: dict[str, str] | None = None
    """The response headers of :data:`ARCHIVED_HEADERS` that the site sent."""


def page_row(article: Article) -> PageRow:
    """The archive row of an article that carries its page (``raw_html``)."""
    assert article.raw_html is not None
    return PageRow(url=article.url, outlet=article.outlet, fetched_url=article.fetched_url,
                   fetched_at=utc_timestamp(article.fetched_at), html=compress_page(article.raw_html),
                   http_status=article.http_status, http_headers=article.http_headers)


def compress_page(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 6)


def decompress_page(blob: bytes, compression: str = COMPRESSION) -> str:
    if compression != COMPRESSION:
        raise ValueError(f"unknown page compression {compression!r}")
    return zlib.decompress(blob).decode("utf-8")


def save_pages(db: sqlite_utils.Database, pages: Iterable[PageRow]) -> None:
    """Insert or replace (a re-crawl brings the newer page) ``pages``, in one transaction."""
    with write_transaction(db):
        for page in pages:
            db.execute(
                """
                INSERT INTO pages (url, outlet, fetched_url, fetched_at, compression, html, size, http_status,
                                   http_headers)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET
                    outlet = excluded.outlet, fetched_url = excluded.fetched_url, fetched_at = excluded.fetched_at,
                    compression = excluded.compression, html = excluded.html, size = excluded.size,
                    http_status = excluded.http_status, http_headers = excluded.http_headers
                WHERE excluded.fetched_at >= pages.fetched_at
                """,
                [page.url, page.outlet, page.fetched_url, page.fetched_at, COMPRESSION, page.html, len(page.html),
                 page.http_status, json.dumps(page.http_headers) if page.http_headers is not None else None],
            )


@dataclass
class ArchivedPage:
    """One archived page, decompressed."""

    url: str
    outlet: str
    fetched_url: str | None
    fetched_at: str
    html: str
    http_status: int | None = None
    """None (like ``http_headers``) for pages archived before the archive kept them (migration page_response)."""
    http_headers: dict[str, str] | None = None


def page_batches(db: sqlite_utils.Database, outlets: list[str] | None = None,
                 size: int = 100) -> Iterator[list[ArchivedPage]]:
    """The archived pages (of ``outlets``, or all) in URL order, ``size`` at a time.

    Each batch is a fresh query that resumes after the last URL of the previous one (keyset pagination on the
    primary key), so the caller may write to the database between batches and memory holds one batch."""
    outlet_condition = f"AND outlet IN ({', '.join('?' for _ in outlets)})" if outlets else ""
    last_url = ""
    while rows := db.execute(
        "SELECT url, outlet, fetched_url, fetched_at, compression, html, http_status, http_headers FROM pages "
        f"WHERE url > ? {outlet_condition} ORDER BY url LIMIT ?", [last_url, *(outlets or []), size],
    ).fetchall():
        yield [ArchivedPage(url, outlet, fetched_url, fetched_at, decompress_page(blob, compression), status,
                            json.loads(headers) if headers is not None else None)
               for url, outlet, fetched_url, fetched_at, compression, blob, status, headers in rows]
        last_url = rows[-1][0]
