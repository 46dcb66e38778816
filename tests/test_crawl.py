"""End to end: each outlet's spider crawls its replica into a temporary database, exactly as an operator runs
``scrapy crawl <site>`` against the live site, then a second crawl of the same replica adds nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from protego import Protego
from scrapy.utils.project import get_project_settings

from crawler import outlets
from crawler.metrics import shingle_scores
from crawler.replica.content import replica_articles
from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "data" / "gold"
OUTLETS = outlets.names()
ARTICLES_PER_OUTLET = 60
TEXT_FIELDS = ("title", "lead", "body", "author", "category", "tags", "images")


def crawl_all(replica_url: str, database: Path) -> None:
    """Run the four spiders as separate ``scrapy crawl`` processes in parallel, as a scheduler would."""
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                outlet,
                "-s",
                f"REPLICA_URL={replica_url}",
                "-s",
                f"DATABASE_PATH={database}",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "LOG_LEVEL=WARNING",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for outlet in OUTLETS
    ]
    for outlet, process in zip(OUTLETS, processes):
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, f"scrapy crawl {outlet} failed:\n{output[-4000:]}"
        assert "Traceback" not in output, f"scrapy crawl {outlet} raised:\n{output[-4000:]}"


def rows(database: Path, query: str, *params) -> list[sqlite3.Row]:
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(articles_per_outlet=ARTICLES_PER_OUTLET) as server:
        yield server


@pytest.fixture(scope="module")
def corpus(replica, tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("crawl") / "articles.db"
    crawl_all(replica.url, database)
    return database


@pytest.mark.parametrize("outlet", OUTLETS)
def test_every_replica_article_is_stored_once(corpus, outlet):
    expected = {article.url for article in replica_articles(outlet, ARTICLES_PER_OUTLET)}
    stored = [row["url"] for row in rows(corpus, "select url from articles where outlet = ?", outlet)]
    assert len(stored) == len(set(stored))
    assert set(stored) == expected


def gold_files():
    return sorted(GOLD_DIR.glob("*.json"))


@pytest.mark.parametrize("gold_file", gold_files(), ids=lambda path: path.stem)
def test_seed_articles_match_the_gold(corpus, gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    [row] = rows(corpus, "select * from articles where outlet = ? and title = ?", gold["outlet"], gold["title"])
    predicted = "\n\n".join(filter(None, (row["lead"], row["body"])))
    expected = "\n\n".join([gold["lead"], *gold["body"]])
    assert shingle_scores(predicted, expected)[2] >= 0.99
    assert row["lead"] == gold["lead"]
    assert row["author"] == gold["author"]
    assert row["published"] == gold["published"]
    if gold["category"]:
        assert row["category"] == gold["category"]
    captions = [image["caption"] for image in json.loads(row["images"]) if image["caption"]]
    assert captions == gold["captions"]
    stored_text = "\n".join(str(row[field] or "") for field in TEXT_FIELDS)
    leaked = [noise for noise in gold["noise"] if noise in stored_text]
    assert not leaked


def test_no_gold_noise_string_anywhere_in_the_corpus(corpus):
    noise = {string for path in gold_files() for string in json.loads(path.read_text(encoding="utf-8"))["noise"]}
    # Titles of other articles are legitimately stored as those articles' titles; look for noise inside the
    # text of every article instead, where it would be a leak.
    for row in rows(corpus, "select title, lead, body, author, category from articles"):
        text = "\n".join(str(row[field] or "") for field in ("lead", "body", "author", "category"))
        leaked = [string for string in noise if string in text and string not in (row["title"] or "")]
        assert not leaked, f"{row['title']!r} leaks {leaked}"


def test_robots_disallowed_paths_are_never_fetched(corpus, replica):
    log = list(replica.access_log)
    user_agent = get_project_settings()["USER_AGENT"]
    robots = {}
    for host in {host for host, _path, _status in log}:
        request = urllib.request.Request(replica.url + "/robots.txt", headers={"Host": host})
        with urllib.request.urlopen(request) as response:
            robots[host] = response.read().decode("utf-8")
    assert all("Disallow: /" in text for text in robots.values()), "every replica must disallow something"
    parsers = {host: Protego.parse(text) for host, text in robots.items()}
    fetched_disallowed = [
        (host, path) for host, path, _status in log if not parsers[host].can_fetch(f"https://{host}{path}", user_agent)
    ]
    assert not fetched_disallowed


def test_a_second_crawl_adds_no_row(corpus, replica):
    before = rows(corpus, "select url, first_seen, text_hash from articles order by url")
    crawl_all(replica.url, corpus)
    after = rows(corpus, "select url, first_seen, text_hash from articles order by url")
    assert [tuple(row) for row in after] == [tuple(row) for row in before]
