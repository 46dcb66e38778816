"""``python -m crawler export``: the articles as JSON Lines, CSV or Parquet, streaming in constant memory; or the
archived raw pages as WARC 1.1 (:func:`export_warc`).

Rows are read from one cursor in batches of :data:`BATCH_ROWS` and written as they come: JSON Lines and CSV line by
line, Parquet one row group per batch (pyarrow), so memory does not grow with the corpus. Every column of
``articles`` is exported, in table order (:data:`crawler.schema.ARTICLE_COLUMNS`). In JSON Lines and Parquet
``tags`` is a list of strings; ``images`` is a list of ``{url, caption}`` objects in JSON Lines and its JSON text in
CSV and Parquet; CSV keeps ``tags`` as JSON text too. Order: by date (publication, else first stored), then id.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http import HTTPStatus
from http.client import responses
from pathlib import Path
from typing import IO

import sqlite_utils

from crawler.corpus.filters import ArticleFilter, add_filter_arguments, article_date_sql, article_filter, where
from crawler.schema import ARTICLE_COLUMNS
from crawler.storage import is_sqlite_file

BATCH_ROWS = 1000
FORMATS = ("jsonl", "csv", "parquet", "warc")
#: Formats written to a file only (binary).
FILE_FORMATS = ("parquet", "warc")


def _batches(db: sqlite_utils.Database, selected: ArticleFilter) -> tuple[list[tuple[str, str]], Iterator[list[tuple]]]:
    columns = [(column.name, column.sql_type) for column in ARTICLE_COLUMNS]
    conditions, params = where(selected)
    names = ", ".join(f'"{name}"' for name, _ in columns)
    cursor = db.conn.execute(
        f"SELECT {names} FROM articles WHERE {conditions} ORDER BY {article_date_sql()}, id", params
    )

    def batches() -> Iterator[list[tuple]]:
        while rows := cursor.fetchmany(BATCH_ROWS):
            yield rows

    return columns, batches()


def export_jsonl(db: sqlite_utils.Database, selected: ArticleFilter, out: IO[str]) -> int:
    columns, batches = _batches(db, selected)
    names = [name for name, _ in columns]
    count = 0
    for rows in batches:
        for row in rows:
            record = dict(zip(names, row))
            for field in ("tags", "images"):
                if isinstance(record.get(field), str):
                    record[field] = json.loads(record[field])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def export_csv(db: sqlite_utils.Database, selected: ArticleFilter, out: IO[str]) -> int:
    columns, batches = _batches(db, selected)
    writer = csv.writer(out)
    writer.writerow([name for name, _ in columns])
    count = 0
    for rows in batches:
        writer.writerows(rows)
        count += len(rows)
    return count


def export_parquet(db: sqlite_utils.Database, selected: ArticleFilter, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns, batches = _batches(db, selected)
    fields = []
    for name, sql_type in columns:
        if name == "tags":
            fields.append(pa.field(name, pa.list_(pa.string())))
        elif sql_type.upper() == "INTEGER":
            fields.append(pa.field(name, pa.int64()))
        elif sql_type.upper() in ("FLOAT", "REAL"):
            fields.append(pa.field(name, pa.float64()))
        elif sql_type.upper() == "BLOB":
            fields.append(pa.field(name, pa.binary()))
        else:
            fields.append(pa.field(name, pa.string()))
    schema = pa.schema(fields)
    tags_index = next((i for i, (name, _) in enumerate(columns) if name == "tags"), None)
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for rows in batches:
            data = [list(values) for values in zip(*rows)]
            if tags_index is not None:
                data[tags_index] = [json.loads(value) if value else [] for value in data[tags_index]]
            writer.write_table(pa.Table.from_arrays(data, schema=schema))  # one row group per batch
            count += len(rows)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count


def export_warc(db: sqlite_utils.Database, selected: ArticleFilter, path: Path) -> int:
    """The archived pages (``pages``; of the ``selected`` outlets, or all: pages have no article date) as WARC 1.1: a
    ``warcinfo`` record, then one ``response`` record per page, in URL order, 100 pages in memory at a time. Each
    record's WARC-Target-URI is the URL fetched, its WARC-Date the download time, its HTTP block the status and the
    headers the archive kept (``crawler.corpus.pages.ARCHIVED_HEADERS``) before the page. The archive keeps pages
    decoded, as UTF-8: the Content-Type's charset says so and Content-Length is the stored body's. Pages archived before
    the archive kept responses (NULL status) were article pages, hence 200 with ``text/html``. Each record is gzipped on
    its own when ``path`` ends with ``.gz`` (what replay tools index), else the file is plain."""
    from importlib.metadata import version

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.timeutils import datetime_to_iso_date
    from warcio.warcwriter import WARCWriter

    from crawler.corpus.pages import page_batches
    from crawler.storage import utc_timestamp

    count = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"), warc_version="1.1")
        writer.write_record(
            writer.create_warcinfo_record(
                path.name,
                {
                    "software": f"vn-news-crawler/{version('vn-news-crawler')} (warcio)",
                    "format": "WARC File Format 1.1",
                    "description": "Article pages of Vietnamese news outlets, as archived by the crawler "
                    "(decoded, UTF-8)",
                },
            )
        )
        for pages in page_batches(db, list(selected.outlets) or None):
            for page in pages:
                body = page.html.encode("utf-8")
                headers = dict(page.http_headers or {})
                media_type = headers.get("Content-Type", "text/html").split(";")[0].strip() or "text/html"
                headers["Content-Type"] = f"{media_type}; charset=utf-8"
                headers["Content-Length"] = str(len(body))
                status = page.http_status or HTTPStatus.OK
                http_headers = StatusAndHeaders(
                    f"{status} {responses.get(status, '')}".strip(), list(headers.items()), protocol="HTTP/1.1"
                )
                fetched = datetime.fromisoformat(utc_timestamp(page.fetched_at)).replace(tzinfo=None)
                writer.write_record(
                    writer.create_warc_record(
                        page.fetched_url or page.url,
                        "response",
                        payload=io.BytesIO(body),
                        length=len(body),
                        http_headers=http_headers,
                        warc_headers_dict={"WARC-Date": datetime_to_iso_date(fetched)},
                    )
                )
                count += 1
    return count


# --- command ------------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="jsonl", help="output format (default: jsonl)")
    parser.add_argument(
        "--output", "-o", metavar="PATH", help="file to write (default: standard output; required for parquet and warc)"
    )
    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    add_filter_arguments(parser)


@contextmanager
def _text_output(path: str | None) -> Iterator[IO[str]]:
    if path is None or path == "-":
        yield sys.stdout
        sys.stdout.flush()
    else:
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out


#: Files next to an SQLite database that are part of it.
DATABASE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def output_problem(output: Path, database: Path) -> str | None:
    """Why ``export`` must not write ``output`` (one line), or None. Opening it for writing truncates it, so an
    output that is the database (under any name: a link, a relative path), one of its journals, or any other SQLite
    database, is refused before anything is opened."""
    if not output.exists():
        return None
    if output.is_dir():
        return f"{output} is a directory"
    for companion in (Path(f"{database}{suffix}") for suffix in DATABASE_COMPANIONS):
        if companion.exists() and output.samefile(companion):
            return f"{output} is the database being exported" + (
                f" (its {companion.name})" if companion != database else ""
            )
    if is_sqlite_file(output):
        return f"{output} is an SQLite database"
    return None


def run(args: argparse.Namespace) -> int:
    from crawler.corpus.commands import database_path, open_for_reading

    if args.format in FILE_FORMATS and (args.output is None or args.output == "-"):
        print(f"export: --format {args.format} needs --output FILE", file=sys.stderr)
        return 2
    if args.format == "warc" and (args.since or args.until):
        print(
            "export: --since/--until select articles by date; --format warc exports archived pages, by --outlet only",
            file=sys.stderr,
        )
        return 2
    if args.output not in (None, "-") and (problem := output_problem(Path(args.output), database_path(args))):
        print(f"export: -o {problem}: not writing over it", file=sys.stderr)
        return 2
    selected = article_filter(args)
    with open_for_reading(args) as db:
        if args.format == "parquet":
            count = export_parquet(db, selected, Path(args.output))
        elif args.format == "warc":
            count = export_warc(db, selected, Path(args.output))
        else:
            with _text_output(args.output) as out:
                count = (export_jsonl if args.format == "jsonl" else export_csv)(db, selected, out)
    what = "archived pages" if args.format == "warc" else "articles"
    print(f"exported {count} {what} as {args.format}" + (f" to {args.output}" if args.output else ""), file=sys.stderr)
    return 0
