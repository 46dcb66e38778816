"""`export --format warc`: the archived pages of a real crawl (the replica served over HTTP) as WARC 1.1, read back
with warcio's own reader, indexed with `warcio index` (what replay tools such as pywb need) and checked with
`warcio check` (the digests)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.cli import main
from crawler.corpus.pages import decompress_page

ROOT = Path(__file__).resolve().parent.parent
ARTICLES_PER_OUTLET = 4


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("warc") / "articles.db"
    # A subprocess: Scrapy's reactor cannot be started twice in one test session.
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "demo", "--db", str(database), "--articles", str(ARTICLES_PER_OUTLET)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return database


def archived_pages(database: Path) -> dict[str, dict]:
    """The pages table (articles' pages, and those of pages the extractor judged not to be articles) joined to the
    articles' own validators (recorded separately, by the incremental crawl)."""
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            "SELECT p.*, a.id IS NOT NULL AS is_article, a.http_etag, a.http_last_modified "
            "FROM pages p LEFT JOIN articles a ON a.url = p.url"
        ).fetchall()
    return {row["fetched_url"] or row["url"]: dict(row) for row in rows}


def read_warc(path: Path) -> list:
    with open(path, "rb") as stream:
        return [
            (record.rec_type, record.rec_headers, record.http_headers, record.content_stream().read())
            for record in ArchiveIterator(stream)
        ]


def test_warc_holds_every_archived_page_with_its_response(crawled, tmp_path):
    warc = tmp_path / "corpus.warc.gz"
    assert main(["export", "--db", str(crawled), "--format", "warc", "-o", str(warc)]) == 0
    pages = archived_pages(crawled)
    assert sum(page["is_article"] for page in pages.values()) == 4 * ARTICLES_PER_OUTLET
    with sqlite3.connect(crawled) as connection:  # the others are the pages judged not to be articles
        judged = {url for (url,) in connection.execute("SELECT url FROM failures WHERE reason = 'not_article'")}
    assert {page["url"] for page in pages.values() if not page["is_article"]} == judged and judged
    records = read_warc(warc)
    assert records[0][0] == "warcinfo" and records[0][1].protocol == "WARC/1.1"
    assert b"vn-news-crawler" in records[0][3]
    responses = records[1:]
    assert [kind for kind, *_ in responses] == ["response"] * len(pages)
    seen = set()
    for _, warc_headers, http_headers, body in responses:
        assert warc_headers.protocol == "WARC/1.1"
        url = warc_headers.get_header("WARC-Target-URI")
        page = pages[url]
        seen.add(url)
        assert body.decode("utf-8") == decompress_page(page["html"]) and b"<html" in body.lower()
        fetched = datetime.fromisoformat(page["fetched_at"])
        warc_date = datetime.fromisoformat(warc_headers.get_header("WARC-Date").replace("Z", "+00:00"))
        assert warc_date == fetched.astimezone(UTC)
        assert http_headers.get_statuscode() == "200"
        assert http_headers.get_header("Content-Type") == "text/html; charset=utf-8"
        assert int(http_headers.get_header("Content-Length")) == len(body)
        if page["is_article"]:  # the validators the incremental crawl stored on the article: the archive's
            assert http_headers.get_header("Last-Modified") == page["http_last_modified"]
            assert http_headers.get_header("ETag") == page["http_etag"]
        assert http_headers.get_header("Date")  # the server's clock at the response
    assert seen == set(pages)


def test_warcio_index_and_check_accept_it(crawled, tmp_path):
    warc = tmp_path / "antv.warc.gz"
    assert main(["export", "--db", str(crawled), "--format", "warc", "--outlet", "antv", "-o", str(warc)]) == 0
    warcio = [sys.executable, "-c", "import sys; from warcio.cli import main; sys.exit(main())"]
    index = subprocess.run(
        [*warcio, "index", "-f", "warc-type,warc-target-uri,offset,length,http:status", str(warc)],
        capture_output=True,
        text=True,
        check=True,
    )
    entries = [json.loads(line) for line in index.stdout.splitlines()]
    with sqlite3.connect(crawled) as connection:
        [(antv_pages,)] = connection.execute("SELECT count(*) FROM pages WHERE outlet = 'antv'").fetchall()
    assert antv_pages >= ARTICLES_PER_OUTLET
    assert [entry["warc-type"] for entry in entries] == ["warcinfo"] + ["response"] * antv_pages
    assert all(entry["http:status"] == "200" for entry in entries[1:])
    assert all("antv.gov.vn" in entry["warc-target-uri"] for entry in entries[1:])
    with open(warc, "rb") as stream:  # each offset starts its record (random access, as a replay tool does)
        for entry in entries[1:]:
            stream.seek(int(entry["offset"]))
            record = next(iter(ArchiveIterator(stream)))
            assert record.rec_headers.get_header("WARC-Target-URI") == entry["warc-target-uri"]
    check = subprocess.run([*warcio, "check", "-v", str(warc)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_pages_archived_before_responses_were_kept_export_as_html_200(crawled, tmp_path):
    database = tmp_path / "old.db"
    with sqlite3.connect(crawled) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
        copy.execute("UPDATE pages SET http_status = NULL, http_headers = NULL")
    warc = tmp_path / "old.warc"  # not .gz: written plain
    assert main(["export", "--db", str(database), "--format", "warc", "-o", str(warc)]) == 0
    assert warc.read_bytes().startswith(b"WARC/1.1\r\n")
    responses = read_warc(warc)[1:]
    assert responses and all(
        http.get_statuscode() == "200" and http.get_header("Content-Type") == "text/html; charset=utf-8"
        for _, _, http, _ in responses
    )


def test_warc_needs_a_file_and_takes_no_date_filter(crawled, capsys):
    assert main(["export", "--db", str(crawled), "--format", "warc"]) == 2
    assert "needs --output FILE" in capsys.readouterr().err
    assert main(["export", "--db", str(crawled), "--format", "warc", "-o", "x.warc.gz", "--since", "2026-01-01"]) == 2
    assert "--outlet only" in capsys.readouterr().err
