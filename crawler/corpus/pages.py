"""The raw page archive: the ``pages`` table (one compressed HTML page per canonical article URL), with the
response's status and the headers in :data:`ARCHIVED_HEADERS` (for ``export --format warc``)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlite_utils

from crawler.items import Article, PageFailure
from crawler.storage import utc_timestamp, write_transaction

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
    failure: bool = False
    """The page of a failure (not an article by the extractor that judged it), not of a stored article."""


#: zlib's level for the archive: 3 takes a third less CPU than the default 6 (0.12 against 0.19 ms for a 14 KB
#: replica page, compression being the costliest part of storing a page) for 6% more bytes.
COMPRESSION_LEVEL = 3


def compress_page(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), COMPRESSION_LEVEL)


def decompress_page(blob: bytes, compression: str = COMPRESSION) -> str:
    if compression != COMPRESSION:
        raise ValueError(f"unknown page compression {compression!r}")
    return zlib.decompress(blob).decode("utf-8")


def page_row(item: Article | PageFailure) -> PageRow:
    """The archive row of the page ``item`` was read from (its ``raw_html``, not None)."""
    assert item.raw_html is not None
    return PageRow(
        url=item.url,
        outlet=item.outlet,
        fetched_url=getattr(item, "fetched_url", None),
        fetched_at=utc_timestamp(item.fetched_at),
        html=compress_page(item.raw_html),
        http_status=item.status if isinstance(item, PageFailure) else item.http_status,
        http_headers=item.http_headers,
        failure=isinstance(item, PageFailure),
    )


def save_pages(db: sqlite_utils.Database, pages: Iterable[PageRow]) -> None:
    """Insert or replace (a re-crawl brings the newer page) ``pages``, in one transaction."""
    with write_transaction(db):
        write_pages(db, pages)


def write_pages(db: sqlite_utils.Database, pages: Iterable[PageRow]) -> None:
    """:func:`save_pages` inside the caller's transaction. A failure's page never replaces a stored article's (a
    re-check that found a soft 404 must not lose the article's page)."""
    for page in pages:
        db.execute(
            """
            INSERT INTO pages (url, outlet, fetched_url, fetched_at, compression, html, size, http_status,
                               http_headers)
            SELECT :url, :outlet, :fetched_url, :fetched_at, :compression, :html, :size, :http_status, :http_headers
            WHERE NOT (:failure AND EXISTS (SELECT 1 FROM articles WHERE url = :url))
            ON CONFLICT (url) DO UPDATE SET
                outlet = excluded.outlet, fetched_url = excluded.fetched_url, fetched_at = excluded.fetched_at,
                compression = excluded.compression, html = excluded.html, size = excluded.size,
                http_status = excluded.http_status, http_headers = excluded.http_headers
            WHERE excluded.fetched_at >= pages.fetched_at
            """,
            {
                "url": page.url,
                "outlet": page.outlet,
                "fetched_url": page.fetched_url,
                "fetched_at": page.fetched_at,
                "compression": COMPRESSION,
                "html": page.html,
                "size": len(page.html),
                "failure": page.failure,
                "http_status": page.http_status,
                "http_headers": json.dumps(page.http_headers) if page.http_headers is not None else None,
            },
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


def page_batch(
    db: sqlite_utils.Database, outlets: list[str] | None = None, after: str = "", size: int = 100
) -> list[ArchivedPage]:
    """The next ``size`` archived pages (of ``outlets``, or all) in URL order, after URL ``after``.

    Keyset pagination on the primary key: the caller reads one batch at a time, inside the transaction that writes
    what it derives from it, and resumes after the batch's last URL."""
    outlet_condition = f"AND outlet IN ({', '.join('?' for _ in outlets)})" if outlets else ""
    rows = db.execute(
        "SELECT url, outlet, fetched_url, fetched_at, compression, html, http_status, http_headers FROM pages "
        f"WHERE url > ? {outlet_condition} ORDER BY url LIMIT ?",
        [after, *(outlets or []), size],
    ).fetchall()
    return [
        ArchivedPage(
            url,
            outlet,
            fetched_url,
            fetched_at,
            decompress_page(blob, compression),
            status,
            json.loads(headers) if headers is not None else None,
        )
        for url, outlet, fetched_url, fetched_at, compression, blob, status, headers in rows
    ]


def page_batches(
    db: sqlite_utils.Database, outlets: list[str] | None = None, size: int = 100
) -> Iterator[list[ArchivedPage]]:
    """The archived pages (of ``outlets``, or all) in URL order, ``size`` at a time: :func:`page_batch` until
    there are none left. Memory holds one batch."""
    after = ""
    while pages := page_batch(db, outlets, after, size):
        yield pages
        after = pages[-1].url
