"""The fifth-outlet drill: a fictional outlet (tests/fifth_outlet/: its unit and its replica site) is added without
editing a core file, and every stage works for it: discovery, crawl, extraction, deduplication, stats, report and
the Datasette metadata. docs/ARCHITECTURE.md "Adding an outlet" is the recipe this test follows."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import outlets
from crawler.replica.content import replica_articles
from crawler.replica.server import ReplicaServer

DRILL = Path(__file__).resolve().parent / "fifth_outlet"
ROOT = DRILL.parent.parent
ARTICLES = 25


@pytest.fixture(scope="module")
def registered():
    """The registry with the fifth outlet, in this process and in the commands it starts."""
    env = {
        **os.environ,
        outlets.EXTRA_OUTLETS_VARIABLE: "tinmau",
        "PYTHONPATH": os.pathsep.join([str(DRILL), str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    saved = os.environ.get(outlets.EXTRA_OUTLETS_VARIABLE)
    os.environ[outlets.EXTRA_OUTLETS_VARIABLE] = "tinmau"
    sys.path.insert(0, str(DRILL))
    try:
        outlets.reload()
        yield env
    finally:
        sys.path.remove(str(DRILL))
        if saved is None:
            os.environ.pop(outlets.EXTRA_OUTLETS_VARIABLE, None)
        else:
            os.environ[outlets.EXTRA_OUTLETS_VARIABLE] = saved
        outlets.reload()


def command(env: dict[str, str], *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout
    )


@pytest.fixture(scope="module")
def crawled(registered, tmp_path_factory):
    work = tmp_path_factory.mktemp("fifth")
    database = work / "articles.db"
    with ReplicaServer(articles_per_outlet=ARTICLES) as replica:
        result = command(
            registered,
            "crawl",
            "tinmau",
            "--replica",
            replica.url,
            "--db",
            str(database),
            "--log-dir",
            str(work / "logs"),
            "--jobs-dir",
            str(work / "jobs"),
        )
        requested = {path for host, path, status in replica.access_log if "tinmau" in host}
    return database, result, requested


def test_the_fifth_outlet_is_registered_with_a_spider(registered):
    assert "tinmau" in outlets.names() and outlets.for_url("https://www.tinmau.vn/x").name == "tinmau"
    listed = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, cwd=ROOT, env=registered, timeout=120
    )
    assert "tinmau" in listed.stdout.split(), listed.stderr


def test_the_crawl_discovers_and_stores_every_article_once(crawled):
    database, result, requested = crawled
    assert result.returncode == 0, result.stdout + result.stderr
    expected = {a.url: a for a in replica_articles("tinmau", ARTICLES)}
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM articles WHERE outlet = 'tinmau'").fetchall()
        (status,) = connection.execute("SELECT status FROM crawl_runs WHERE outlet = 'tinmau'").fetchone()
    assert status == "ok"
    # deduplicated: host variants and tracking tails of the same article are one row each
    assert sorted(row["url"] for row in rows) == sorted(expected)
    # discovery used the outlet's feed and its paged listings
    assert "/feed/moi-nhat.xml" in requested and any("trang=2" in path for path in requested)
    for row in rows:
        truth = expected[row["url"]]
        # the outlet path extracted it: title, lead with its dateline, the body without the inline related box
        assert row["title"] == truth.title and row["lead"] == truth.lead
        assert row["body"].split("\n\n") == truth.body, row["url"]
        assert "Cùng chủ đề" not in row["body"] and row["category"] == truth.category
        assert row["published"] == truth.published and row["native_id"] == truth.native_id


def test_stats_report_and_datasette_metadata_know_the_fifth_outlet(crawled, registered, tmp_path):
    database, _, _ = crawled
    stats = command(registered, "stats", "--db", str(database), "--json")
    assert stats.returncode == 0, stats.stderr
    assert [entry["outlet"] for entry in json.loads(stats.stdout)["outlets"]] == ["tinmau"]
    report = tmp_path / "report.html"
    assert command(registered, "report", "--db", str(database), "--output", str(report)).returncode == 0
    page = report.read_text()
    assert "Báo Tin Mẫu" in page and outlets.get("tinmau").report_colour in page
    from crawler.datasette.metadata import metadata

    described = metadata()
    assert "Báo Tin Mẫu" in described["description_html"]
    assert "tinmau (Báo Tin Mẫu)" in described["databases"]["articles"]["tables"]["articles"]["columns"]["outlet"]
