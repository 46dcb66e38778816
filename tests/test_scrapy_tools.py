"""Scrapy's own tools in the project: ``scrapy fetch`` and ``scrapy shell`` (the ``default`` spider) are no crawl of
the corpus, and feed exports (``scrapy crawl <outlet> -O file``) hold articles only. Real ``scrapy`` processes
against a replica server on 127.0.0.1."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(articles_per_outlet=8) as server:
        yield server


def scrapy(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def query(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_scrapy_fetch_records_no_crawl_run(replica, tmp_path):
    database = tmp_path / "articles.db"
    done = scrapy(
        "fetch",
        "--nolog",
        "https://congluan.vn/",
        "-s",
        f"DATABASE_PATH={database}",
        "-s",
        f"REPLICA_URL={replica.url}",
        *FAST,
    )
    assert done.returncode == 0 and "<html" in done.stdout.lower(), done.stderr[-2000:]
    # The database may not even exist: nothing of the corpus ran.
    runs = query(database, "SELECT outlet, status FROM crawl_runs") if database.exists() else []
    assert runs == []


def test_feed_export_holds_the_articles_and_no_failure_record(replica, tmp_path):
    database, feed = tmp_path / "articles.db", tmp_path / "crawl.jsonl"
    done = scrapy(
        "crawl",
        "clo",
        "-O",
        str(feed),
        "-s",
        f"DATABASE_PATH={database}",
        "-s",
        f"REPLICA_URL={replica.url}",
        "-s",
        "LOG_LEVEL=WARNING",
        *FAST,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    records = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    failures = query(database, "SELECT count(*) FROM failures WHERE outlet = 'clo'")[0][0]
    assert failures > 0, "the replica links pages that are not articles: the crawl must have met some"
    assert records and all(record.get("title") and "reason" not in record for record in records), records[:3]
    stored = {url for (url,) in query(database, "SELECT url FROM articles WHERE outlet = 'clo'")}
    assert {record["url"] for record in records} == stored
    [(outlet, status)] = query(database, "SELECT outlet, status FROM crawl_runs")
    assert (outlet, status) == ("clo", "ok")  # our outlet spider's run is recorded, as before
