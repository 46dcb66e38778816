"""The raw page archive: the ``pages`` table (one compressed HTML page per canonical article URL)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlite_utils

from crawler.storage import write_transaction

COMPRESSION = "zlib"


@dataclass
class PageRow:
    url: str
    outlet: str
    fetched_url: str | None
    fetched_at: str
    html: bytes
    """zlib-compressed UTF-8 HTML."""


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
                INSERT INTO pages (url, outlet, fetched_url, fetched_at, compression, html, size)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET
                    outlet = excluded.outlet, fetched_url = excluded.fetched_url, fetched_at = excluded.fetched_at,
                    compression = excluded.compression, html = excluded.html, size = excluded.size
                WHERE excluded.fetched_at >= pages.fetched_at
                """,
                [page.url, page.outlet, page.fetched_url, page.fetched_at, COMPRESSION, page.html, len(page.html)],
            )


@dataclass
class ArchivedPage:
    """One archived page, decompressed."""

    url: str
    outlet: str
    fetched_url: str | None
    fetched_at: str
    html: str


def page_batches(db: sqlite_utils.Database, outlets: list[str] | None = None,
                 size: int = 100) -> Iterator[list[ArchivedPage]]:
    """The archived pages (of ``outlets``, or all) in URL order, ``size`` at a time.

    Each batch is a fresh query that resumes after the last URL of the previous one (keyset pagination on the
    primary key), so the caller may write to the database between batches and memory holds one batch."""
    outlet_condition = f"AND outlet IN ({', '.join('?' for _ in outlets)})" if outlets else ""
    last_url = ""
    while rows := db.execute(
        "SELECT url, outlet, fetched_url, fetched_at, compression, html FROM pages "
        f"WHERE url > ? {outlet_condition} ORDER BY url LIMIT ?", [last_url, *(outlets or []), size],
    ).fetchall():
        yield [ArchivedPage(url, outlet, fetched_url, fetched_at, decompress_page(blob, compression))
               for url, outlet, fetched_url, fetched_at, compression, blob in rows]
        last_url = rows[-1][0]
