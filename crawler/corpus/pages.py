"""The raw page archive: the ``pages`` table (one compressed HTML page per canonical article URL)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from crawler.items import Article, PageFailure
from crawler.storage import utc_timestamp, write_transaction

COMPRESSION = "zlib"


@dataclass
class PageRow:
    url: str
    outlet: str
    fetched_url: str | None
    fetched_at: str
    html: bytes
    """zlib-compressed UTF-8 HTML."""
    failure: bool = False
    """The page of a failure (not an article by the extractor that judged it), not of a stored article."""


def compress_page(html: str) -> bytes:
    return zlib.compress(html.encode("utf-8"), 6)


def decompress_page(blob: bytes, compression: str = COMPRESSION) -> str:
    if compression != COMPRESSION:
        raise ValueError(f"unknown page compression {compression!r}")
    return zlib.decompress(blob).decode("utf-8")


def page_row(item: Article | PageFailure) -> PageRow:
    """The archive row of the page ``item`` was read from (its ``raw_html``, not None)."""
    return PageRow(
        url=item.url,
        outlet=item.outlet,
        fetched_url=getattr(item, "fetched_url", None),
        fetched_at=utc_timestamp(item.fetched_at),
        html=compress_page(item.raw_html),
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
            INSERT INTO pages (url, outlet, fetched_url, fetched_at, compression, html, size)
            SELECT :url, :outlet, :fetched_url, :fetched_at, :compression, :html, :size
            WHERE NOT (:failure AND EXISTS (SELECT 1 FROM articles WHERE url = :url))
            ON CONFLICT (url) DO UPDATE SET
                outlet = excluded.outlet, fetched_url = excluded.fetched_url, fetched_at = excluded.fetched_at,
                compression = excluded.compression, html = excluded.html, size = excluded.size
            WHERE excluded.fetched_at >= pages.fetched_at
            """,
            {"url": page.url, "outlet": page.outlet, "fetched_url": page.fetched_url, "fetched_at": page.fetched_at,
             "compression": COMPRESSION, "html": page.html, "size": len(page.html), "failure": page.failure},
        )


@dataclass
class ArchivedPage:
    """One archived page, decompressed."""

    url: str
    outlet: str
    fetched_url: str | None
    fetched_at: str
    html: str


def page_batch(db: sqlite_utils.Database, outlets: list[str] | None = None, after: str = "",
               size: int = 100) -> list[ArchivedPage]:
    """The next ``size`` archived pages (of ``outlets``, or all) in URL order, after URL ``after``.

    Keyset pagination on the primary key: the caller reads one batch at a time, inside the transaction that writes
    what it derives from it, and resumes after the batch's last URL."""
    outlet_condition = f"AND outlet IN ({', '.join('?' for _ in outlets)})" if outlets else ""
    rows = db.execute(
        "SELECT url, outlet, fetched_url, fetched_at, compression, html FROM pages "
        f"WHERE url > ? {outlet_condition} ORDER BY url LIMIT ?", [after, *(outlets or []), size],
    ).fetchall()
    return [ArchivedPage(url, outlet, fetched_url, fetched_at, decompress_page(blob, compression))
            for url, outlet, fetched_url, fetched_at, compression, blob in rows]
