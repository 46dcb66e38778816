"""Discovery that finds its own way, and runs that say when the outlet's rules miss.

- On the relocated replica (every configured listing 404s, sections moved under ``/chuyen-muc/<slug>`` with
  other page schemes, no feeds or sitemaps), a crawl of the four outlets still stores nearly every article, through
  the sections of the home page's navigation, says so per channel, and a second run stops those sections as it
  stops any listing.
- A crawl of the redesign layout (the outlets' selectors miss on purpose) ends ``degraded`` with its reason and exit
  code 3, from ``python -m crawler crawl`` and from ``scrapy crawl``; ``stats`` and the report show it. A site
  whose pages answer but link no article ends ``degraded`` too; the standard replica stays ``ok``.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from local_http import serving  # tests/: pytest puts it on sys.path

from crawler import outlets
from crawler.discovery import generic_next_page
from crawler.health import EXIT_DEGRADED, EXIT_FAILED, EXIT_OK, exit_code
from crawler.replica.content import replica_articles
from crawler.replica.relocated import SCHEMES
from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = outlets.names()
ARTICLES = 40
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0"]
DOCTOR = "python -m crawler doctor"


def crawl_command(replica_url: str, database: Path, tmp: Path, *outlet_names: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            *outlet_names,
            "--db",
            str(database),
            "--replica",
            replica_url,
            "--jobs-dir",
            "",
            "--log-dir",
            str(tmp / "logs"),
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def scrapy_crawl(replica_url: str, database: Path, outlet: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            outlet,
            "-s",
            f"DATABASE_PATH={database}",
            "-s",
            f"REPLICA_URL={replica_url}",
            "-s",
            "LOG_LEVEL=WARNING",
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def runs(database: Path) -> list[dict]:
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute("SELECT * FROM crawl_runs ORDER BY id")]


def last_run(database: Path, outlet: str) -> dict:
    return [run for run in runs(database) if run["outlet"] == outlet][-1]


def stored_urls(database: Path, outlet: str) -> set[str]:
    with sqlite3.connect(database) as connection:
        return {url for (url,) in connection.execute("SELECT url FROM articles WHERE outlet = ?", [outlet])}


# --- the relocated replica -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def relocated(tmp_path_factory):
    """The relocated replica crawled once (all outlets), then again after two new articles per outlet."""
    tmp = tmp_path_factory.mktemp("relocated")
    database = tmp / "articles.db"
    with ReplicaServer(articles_per_outlet=ARTICLES, listings="relocated") as replica:
        section_pages = {
            outlet: {
                section.slug: replica.site(outlet).listing(section.slug, 1)[1]
                for section in replica.site(outlet).sections
            }
            for outlet in OUTLETS
        }
        first = crawl_command(replica.url, database, tmp, "--all")
        first_log = list(replica.access_log)
        published = replica.publish(2)
        second = crawl_command(replica.url, database, tmp, "--all", "-s", "RECHECK_WINDOW_DAYS=0")
        second_log = replica.access_log[len(first_log) :]
    return {
        "replica": replica,
        "database": database,
        "first": first,
        "second": second,
        "first_log": first_log,
        "second_log": second_log,
        "published": published,
        "section_pages": section_pages,
    }


def test_the_relocated_replica_hides_every_configured_way_in():
    """The variant is what its tests say: configured listings, feeds and sitemaps answer 404, robots.txt names no
    sitemap, the home page links few articles, and the four outlets page their sections in four schemes."""
    with ReplicaServer(articles_per_outlet=ARTICLES, listings="relocated") as replica:
        schemes = set()
        for outlet in outlets.registry():
            site = replica.site(outlet.name)
            schemes.add(site.page_scheme.name)
            for path in (*outlet.listing_paths, *outlet.feed_paths, *outlet.sitemap_paths):
                assert site.handle("/" + path).status == 404, path
            assert "sitemap" not in site.handle("/robots.txt").body.decode().lower()
            home = site.handle("/").body.decode()
            assert sum(article.path in home for article in site.articles) <= 3
            assert f'href="/chuyen-muc/{site.sections[0].slug}"' in home
    assert schemes == {scheme.name for scheme in SCHEMES}


def test_a_crawl_of_the_relocated_replica_stores_nearly_every_article(relocated):
    assert relocated["first"].returncode == EXIT_OK, relocated["first"].stdout + relocated["first"].stderr
    for outlet in OUTLETS:
        expected = {article.url for article in replica_articles(outlet, ARTICLES)}
        stored = stored_urls(relocated["database"], outlet) & expected
        assert len(stored) >= 0.95 * len(expected), (outlet, len(stored), len(expected))


def test_the_run_says_which_channels_it_used(relocated):
    for outlet in outlets.registry():
        run = next(run for run in runs(relocated["database"]) if run["outlet"] == outlet.name)  # the first run
        assert run["status"] == "ok"
        health = json.loads(run["health"])
        stats = json.loads(run["stats"])
        channels = health["channels"]
        assert channels["listing"] == {"pages": 0, "failed": len(outlet.listing_paths), "article_links": 0}
        assert channels["navigation"]["article_links"] >= 0.95 * ARTICLES
        assert stats["discovery/navigation/article_links"] == channels["navigation"]["article_links"]
        assert channels["home"]["article_links"] <= 3
        assert not any(channels.get(name, {}).get("article_links") for name in ("feed", "sitemap"))
        assert health["outlet_rules"]["body"] == 1.0


def test_the_sections_are_walked_through_their_pages(relocated):
    """Every page of every section is requested in the first run, whatever its page scheme."""
    replica = relocated["replica"]
    requested = {(replica.sites[host].name, target) for host, target, status in relocated["first_log"] if status == 200}
    for outlet, sections in relocated["section_pages"].items():
        assert max(sections.values()) >= 3  # pages to walk
        site = replica.site(outlet)
        for slug, pages in sections.items():
            for page in range(1, pages + 1):
                assert (outlet, site.section_path(slug, page)) in requested, (outlet, slug, page)


def test_a_second_run_stops_the_sections_as_any_listing(relocated):
    """After a complete run, a section stops at its first page with nothing new: the second run stores the new
    articles and requests far fewer section pages."""
    assert relocated["second"].returncode == EXIT_OK, relocated["second"].stdout + relocated["second"].stderr

    def section_pages(log):
        return sum(1 for _host, target, _status in log if urlsplit(target).path.startswith("/chuyen-muc/"))

    for outlet, fresh in relocated["published"].items():
        assert {article.url for article in fresh} <= stored_urls(relocated["database"], outlet)
    assert section_pages(relocated["second_log"]) * 2 <= section_pages(relocated["first_log"])


# --- generic pagination ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, page, links, expected",
    [
        (
            "https://x.vn/thoi-su/",
            1,
            [("https://x.vn/thoi-su/?page=3", "3"), ("https://x.vn/thoi-su/?page=2", "2")],
            "https://x.vn/thoi-su/?page=2",
        ),
        (
            "https://x.vn/chuyen-muc/a/trang-2",
            2,
            [("https://x.vn/chuyen-muc/a", "1"), ("https://x.vn/chuyen-muc/a/trang-3", "3")],
            "https://x.vn/chuyen-muc/a/trang-3",
        ),
        (
            "https://x.vn/thoi-su.html",
            1,
            [("https://x.vn/the-gioi/p2.html", "2"), ("https://x.vn/thoi-su/p2.html", "2")],
            "https://x.vn/thoi-su/p2.html",
        ),
        (
            "https://x.vn/the-gioi&s_cond=&BRSR=15",
            2,
            [("https://x.vn/the-gioi", "1"), ("https://x.vn/the-gioi&s_cond=&BRSR=30", "3")],
            "https://x.vn/the-gioi&s_cond=&BRSR=30",
        ),
        (
            "https://x.vn/moi",
            1,
            [("https://x.vn/gioi-thieu", "Giới thiệu"), ("https://x.vn/moi/tai/2", "Trang  sau")],
            "https://x.vn/moi/tai/2",
        ),
        ("https://x.vn/moi", 1, [("https://x.vn/load?from=12", "Xem thêm")], "https://x.vn/load?from=12"),
        ("https://x.vn/moi/tai/2", 2, [("https://x.vn/moi/tai/3", "3")], "https://x.vn/moi/tai/3"),
        # the last page: links back only
        (
            "https://x.vn/thoi-su/?page=3",
            3,
            [("https://x.vn/thoi-su/?page=2", "2"), ("https://x.vn/thoi-su/", "1")],
            None,
        ),
        ("https://x.vn/moi", 1, [("https://x.vn/the-thao", "Thể thao")], None),
    ],
)
def test_generic_pagination(url, page, links, expected):
    assert generic_next_page(url, page, links) == expected


# --- degraded runs ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redesign_url():
    with ReplicaServer(articles_per_outlet=20, layout="redesign") as replica:
        yield replica.url


@pytest.mark.parametrize("how", ["crawl-command", "scrapy-crawl"])
def test_a_crawl_of_the_redesign_ends_degraded(redesign_url, tmp_path, how):
    database = tmp_path / "articles.db"
    if how == "crawl-command":
        done = crawl_command(redesign_url, database, tmp_path, "clo")
    else:
        done = scrapy_crawl(redesign_url, database, "clo")
    assert done.returncode == EXIT_DEGRADED, done.stdout + done.stderr
    run = last_run(database, "clo")
    assert run["status"] == "degraded"
    assert run["status_reason"].startswith("outlet rules missed on 20 of 20 article pages")
    assert run["status_reason"].endswith(f"see {DOCTOR} clo")
    assert run["status_reason"] in done.stdout
    health = json.loads(run["health"])
    assert health["articles"] == 20 and health["outlet_rules"]["body"] == 0.0
    assert len(stored_urls(database, "clo")) == 20  # the generic path stored every article all the same
    if how == "crawl-command":  # stats and the report show the last run's health
        stats = subprocess.run(
            [sys.executable, "-m", "crawler", "stats", "--db", str(database)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert f"clo: degraded ({run['status_reason']})" in stats.stdout
        report = tmp_path / "report.html"
        subprocess.run(
            [sys.executable, "-m", "crawler", "report", "--db", str(database), "--output", str(report)],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=120,
        )
        assert "doctor clo" in report.read_text(encoding="utf-8").split('<ul id="health">')[1]


def test_the_standard_replica_stays_ok(tmp_path):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=20) as replica:
        done = crawl_command(replica.url, database, tmp_path, "--all")
    assert done.returncode == EXIT_OK, done.stdout + done.stderr
    for run in runs(database):
        assert run["status"] == "ok" and run["status_reason"] is None, run
        health = json.loads(run["health"])
        assert health["outlet_rules"]["body"] == 1.0
        assert "navigation" not in health["channels"]  # the configured listings work: no walk of the menus


class LinksNoArticle(BaseHTTPRequestHandler):
    """A site whose pages all answer, in a menu and a list of links, but link no page of an article's form."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        else:
            links = "".join(f'<li><a href="/muc-{n}.html">Mục {n}</a></li>' for n in range(3))
            body = (
                f"<html><body><nav class='menu'><ul>{links}</ul></nav><main><ul>{links}</ul></main></body></html>"
            ).encode()
            kind = "text/html; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def links_no_article_url() -> Iterator[str]:
    with serving(LinksNoArticle) as url:
        yield url


def test_discovery_that_finds_no_article_link_ends_degraded(links_no_article_url, tmp_path):
    """Its pages were fetched (so not ``failed``: tests/test_run_outcome.py has the run that fetched nothing), but
    no channel, the navigation included, found an article link."""
    database = tmp_path / "articles.db"
    done = crawl_command(links_no_article_url, database, tmp_path, "clo")
    assert done.returncode == EXIT_DEGRADED, done.stdout + done.stderr
    run = last_run(database, "clo")
    assert run["status"] == "degraded"
    assert run["status_reason"].startswith("discovery found no article link on the ")
    assert run["status_reason"].endswith(f"see {DOCTOR} clo")
    channels = json.loads(run["health"])["channels"]
    assert channels["navigation"]["pages"] == 3  # the configured listings linked nothing: the menu was walked
    assert not any(counts["article_links"] for counts in channels.values())


@pytest.mark.parametrize(
    "statuses, code",
    [
        (["ok", "ok"], EXIT_OK),
        (["ok", "degraded"], EXIT_DEGRADED),
        (["degraded", "failed"], EXIT_FAILED),
        (["ok", None], EXIT_FAILED),
        (["interrupted"], EXIT_FAILED),
        (["crashed", "degraded"], EXIT_FAILED),
    ],
)
def test_exit_codes(statuses, code):
    assert code == exit_code(statuses)
    assert len({EXIT_OK, EXIT_FAILED, EXIT_DEGRADED, 2}) == 4  # 2: a bad command line
