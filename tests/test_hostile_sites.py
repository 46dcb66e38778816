"""Hostile and broken sites (issue 12): every run ends by itself, robots.txt is read as RFC 9309 says, off-site
redirects leave a failure row.

Each test serves one misbehaving CLO site from a small HTTP server on 127.0.0.1 (``REPLICA_URL`` routes the live
URLs to it) and runs ``scrapy crawl clo`` against it in a subprocess, with a time limit: a run that does not end by
itself fails the test. Everything the site does not define answers 404.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler import stats_keys

ROOT = Path(__file__).resolve().parent.parent
HOME = "https://congluan.vn"
#: A run against these sites ends within seconds when it is bounded; far above that means it is not.
RUN_TIME_LIMIT = 60

Answer = tuple[int, dict[str, str], bytes]


def article_page(number: int) -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tin {number}</title></head><body>
<article class="article"><h1 class="article__title">Tin thử nghiệm số {number} về giao thông</h1>
<div class="article__meta"><time>Thứ ba, 03/12/2024 11:19 AM</time></div>
<div class="article__sapo">(CLO) Mở đầu của bài số {number} nói về giao thông đô thị.</div>
<div class="article__body"><p>Đoạn thứ nhất của bài số {number} có đủ chữ để là một đoạn văn thật sự.</p>
<p>Đoạn thứ hai của bài số {number} cũng vậy, dài vừa đủ.</p></div></article></body></html>""".encode()


def article_path(number: int) -> str:
    return f"/tin-so-{number}-post{1000000 + number}.html"


ARTICLE = re.compile(r"/tin-so-(\d+)-post\d+\.html")


def listing_page(article_numbers, next_path: str | None) -> bytes:
    links = "".join(f'<a href="{article_path(n)}">Tin {n}</a>' for n in article_numbers)
    following = f'<a rel="next" href="{next_path}">Trang sau</a>' if next_path else ""
    return f"<!DOCTYPE html><html><body>{links}{following}</body></html>".encode()


class HostileSite:
    """A CLO site whose pages ``route(path) -> (status, headers, body) | None`` gives (None: 404); articles answer
    by default. Records every request path."""

    def __init__(self, route: Callable[[str], Answer | None]) -> None:
        self.route = route
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                answer = site.route(self.path)
                if answer is None and (match := ARTICLE.fullmatch(self.path)):
                    answer = (200, {"Content-Type": "text/html; charset=utf-8"}, article_page(int(match.group(1))))
                status, headers, body = answer or (404, {"Content-Type": "text/html"}, b"<html>not found</html>")
                try:
                    self.send_response(status)
                    for name, value in {"Content-Length": str(len(body)), **headers}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the crawler stopped reading (robots.txt cut)
                    pass

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HostileSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requested(self, pattern: str) -> list[str]:
        return [path for path in self.requests if re.fullmatch(pattern, path)]


def crawl(site: HostileSite, database: Path, exit_code: int = 0, **settings: object) -> tuple[float, str]:
    """Run ``scrapy crawl clo`` against ``site``; (seconds, output). Fails the test when it does not end in time or
    ends with another exit code than ``exit_code`` (1: the run fetched nothing, see crawler/runs.py)."""
    settings = {
        "REPLICA_URL": site.url,
        "DATABASE_PATH": str(database),
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "LOG_LEVEL": "WARNING",
        "RETRY_BACKOFF_BASE": 0.1,
        "DOWNLOAD_TIMEOUT": 5,
        **settings,
    }
    arguments = [argument for name, value in settings.items() for argument in ("-s", f"{name}={value}")]
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "clo", *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=RUN_TIME_LIMIT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the run did not end within {RUN_TIME_LIMIT} s")
    assert result.returncode == exit_code, result.stderr[-3000:]
    return time.monotonic() - started, result.stderr


def last_run(database: Path) -> dict:
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        row = dict(connection.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone())
    row["stats"] = json.loads(row["stats"])
    return row


def failures(database: Path) -> dict[str, str]:
    with sqlite3.connect(database) as connection:
        return dict(connection.execute("SELECT url, reason FROM failures").fetchall())


def stored(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]


def html(body: bytes, status: int = 200) -> Answer:
    return status, {"Content-Type": "text/html; charset=utf-8"}, body


# --- every run ends by itself ---------------------------------------------------------------------------------------

LISTING_PAGE = re.compile(r"/thoi-su\.html|/thoi-su/p(\d+)")


def endless_listing(path: str) -> Answer | None:
    """Page N links two new articles and page N + 1, for ever."""
    if match := LISTING_PAGE.fullmatch(path):
        page = int(match.group(1) or 1)
        return html(listing_page([2 * page, 2 * page + 1], f"/thoi-su/p{page + 1}"))
    return None


def test_an_endless_listing_ends_at_the_page_bound_and_the_run_is_ok(tmp_path, capsys):
    database = tmp_path / "articles.db"
    bound = 15
    with HostileSite(endless_listing) as site:
        seconds, _ = crawl(site, database, LISTING_MAX_PAGES=bound)
        pages = len(site.requested(LISTING_PAGE.pattern))
        run = last_run(database)
        with capsys.disabled():
            print(
                f"\nendless listing: LISTING_MAX_PAGES={bound}, {pages} listing pages, {run['requests']} requests, "
                f"{seconds:.1f} s"
            )
        assert pages == bound
        assert run["status"] == "ok" and run["stats"][stats_keys.BOUND_LISTING_PAGES] == 1
        assert stored(database) == 2 * bound
        # The cut run counts as complete: the next run stops the listing at its first page with nothing new.
        site.requests.clear()
        crawl(site, database, LISTING_MAX_PAGES=bound)
        assert len(site.requested(LISTING_PAGE.pattern)) == 1
        assert last_run(database)["status"] == "ok"


def repeating_listing(path: str) -> Answer | None:
    """Pages 1-3 link new articles; every page past 3 links the same ones, and a next page, for ever."""
    if match := LISTING_PAGE.fullmatch(path):
        page = int(match.group(1) or 1)
        articles = [2 * page, 2 * page + 1] if page <= 3 else [100, 101]
        return html(listing_page(articles, f"/thoi-su/p{page + 1}"))
    return None


def test_a_listing_that_repeats_itself_stops_at_the_first_page_with_nothing_new(tmp_path, capsys):
    database = tmp_path / "articles.db"
    with HostileSite(repeating_listing) as site:
        seconds, _ = crawl(site, database)
        pages = site.requested(LISTING_PAGE.pattern)
        run = last_run(database)
    with capsys.disabled():
        print(f"\nrepeating listing: {len(pages)} listing pages, {run['requests']} requests, {seconds:.1f} s")
    # Page 4 brings 100 and 101, page 5 repeats them: the listing ends there.
    assert sorted(pages) == ["/thoi-su.html", *(f"/thoi-su/p{n}" for n in range(2, 6))]
    assert run["status"] == "ok" and run["stats"][stats_keys.BOUND_LISTING_NO_NEW_LINKS] == 1
    assert stored(database) == 8


SITEMAP = re.compile(r"/sitemap-(\d+)\.xml")


def sitemap_chain(path: str) -> Answer | None:
    """robots.txt names sitemap-1.xml; sitemap-N.xml is an index naming sitemap-(N+1).xml and one article."""
    if path == "/robots.txt":
        return 200, {"Content-Type": "text/plain"}, f"User-agent: *\nAllow: /\nSitemap: {HOME}/sitemap-1.xml\n".encode()
    if match := SITEMAP.fullmatch(path):
        number = int(match.group(1))
        return (
            200,
            {"Content-Type": "application/xml"},
            (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{HOME}/sitemap-{number + 1}.xml</loc></sitemap>"
                f"<sitemap><loc>{HOME}/sitemap-articles-{number}.xml</loc></sitemap></sitemapindex>"
            ).encode(),
        )
    if match := re.fullmatch(r"/sitemap-articles-(\d+)\.xml", path):
        return (
            200,
            {"Content-Type": "application/xml"},
            (
                '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{HOME}{article_path(int(match.group(1)))}</loc></url></urlset>"
            ).encode(),
        )
    return None


def test_a_chain_of_sitemap_indexes_ends_at_the_depth_bound(tmp_path, capsys):
    database = tmp_path / "articles.db"
    depth = 4
    with HostileSite(sitemap_chain) as site:
        seconds, _ = crawl(site, database, SITEMAP_MAX_DEPTH=depth)
        indexes = site.requested(SITEMAP.pattern)
        run = last_run(database)
    with capsys.disabled():
        print(
            f"\nsitemap chain: SITEMAP_MAX_DEPTH={depth}, {len(indexes)} sitemap indexes, {run['requests']} "
            f"requests, {seconds:.1f} s"
        )
    # sitemap-1.xml (named in robots.txt) is depth 0, sitemap-N.xml depth N - 1.
    assert sorted(indexes, key=lambda path: int(SITEMAP.fullmatch(path).group(1))) == [
        f"/sitemap-{n}.xml" for n in range(1, depth + 2)
    ]
    # The last index's two sitemaps are one level too deep; so is the article sitemap of sitemap-5.xml.
    assert run["status"] == "ok" and run["stats"][stats_keys.BOUND_SITEMAP_DEPTH] == 2
    assert stored(database) == depth


# --- robots.txt as RFC 9309 says -------------------------------------------------------------------------------------


def site_with_robots(answer: Answer | None) -> Callable[[str], Answer | None]:
    """A home page linking three articles, and ``answer`` for robots.txt."""

    def route(path: str) -> Answer | None:
        if path == "/robots.txt":
            return answer
        if path == "/":
            return html(listing_page([1, 2, 3], None))
        return None

    return route


def test_robots_txt_answering_503_for_a_day_disallows_the_site_for_this_run_without_stalling(tmp_path):
    database = tmp_path / "articles.db"
    unavailable = (503, {"Content-Type": "text/plain", "Retry-After": "86400"}, b"busy")
    with HostileSite(site_with_robots(unavailable)) as site:
        seconds, _ = crawl(site, database, exit_code=1)
        articles = site.requested(ARTICLE.pattern)
        robots = site.requested("/robots.txt")
    assert articles == [] and stored(database) == 0
    assert len(robots) <= 4  # one download and its retries; the spider's own request for it is not sent again
    assert seconds < 60
    run = last_run(database)
    # the run did not stall, but it fetched nothing: not ok (issue "a run that says ok has stored everything")
    assert run["status"] == "failed" and "robots_unavailable" in run["status_reason"]
    assert run["stats"][stats_keys.robotstxt_unavailable("congluan.vn")] == "http_503"
    assert failures(database)["https://congluan.vn/"] == "robots_unavailable"


def test_robots_txt_that_times_out_disallows_the_site_for_this_run(tmp_path):
    database = tmp_path / "articles.db"

    def route(path: str) -> Answer | None:
        if path == "/robots.txt":
            time.sleep(3)
        return site_with_robots(None)(path)

    with HostileSite(route) as site:
        crawl(site, database, exit_code=1, DOWNLOAD_TIMEOUT=1, RETRY_TIMES=1)
        assert site.requested(ARTICLE.pattern) == []
    assert last_run(database)["stats"][stats_keys.robotstxt_unavailable("congluan.vn")]
    assert failures(database)["https://congluan.vn/"] == "robots_unavailable"


def test_robots_txt_answering_404_allows_everything(tmp_path):
    database = tmp_path / "articles.db"
    with HostileSite(site_with_robots(None)) as site:
        crawl(site, database)
    assert stored(database) == 3


def test_a_robots_txt_above_download_maxsize_is_parsed_from_its_start(tmp_path):
    database = tmp_path / "articles.db"
    huge = b"User-agent: *\nDisallow: /\n" + b"# padding padding padding padding padding\n" * 500_000  # 21 MB
    with HostileSite(site_with_robots((200, {"Content-Type": "text/plain"}, huge))) as site:
        crawl(site, database, exit_code=1, DOWNLOAD_MAXSIZE=8 * 1024 * 1024)
        assert site.requested(ARTICLE.pattern) == []
    assert stored(database) == 0
    assert failures(database)["https://congluan.vn/"] == "robots_disallowed"
    assert "robots_disallowed" in last_run(database)["status_reason"]  # a site closed to us: nothing done, not ok


# --- off-site redirects -------------------------------------------------------------------------------------------


def test_an_offsite_redirect_is_not_fetched_and_is_recorded(tmp_path):
    database = tmp_path / "articles.db"

    def route(path: str) -> Answer | None:
        if path == "/":
            return html(listing_page([1, 2], None))
        if path == article_path(2):
            return 302, {"Location": "http://evil.example/steal"}, b""
        return None

    with HostileSite(route) as site:
        crawl(site, database)
        assert "/steal" not in site.requests
    assert stored(database) == 1
    assert failures(database)[f"{HOME}{article_path(2)}"] == "offsite_redirect"


# --- pathological pages cost bounded time ---------------------------------------------------------------------------


def test_a_page_of_200000_paragraphs_is_recorded_too_large_and_the_crawl_goes_on(tmp_path, capsys):
    database = tmp_path / "articles.db"
    paragraphs = "".join(f"<p>Đoạn {i} ngắn.</p>" for i in range(200_000))
    huge = article_page(2).replace(b"</article>", paragraphs.encode() + b"</article>")  # 4.7 MB

    def route(path: str) -> Answer | None:
        if path == "/":
            return html(listing_page([1, 2, 3], None))
        if path == article_path(2):
            return html(huge)
        return None

    with HostileSite(route) as site:
        seconds, _ = crawl(site, database)
    with capsys.disabled():
        print(f"\n200,000-paragraph page ({len(huge) / 1e6:.1f} MB): run {seconds:.1f} s")
    assert stored(database) == 2
    assert failures(database)[f"{HOME}{article_path(2)}"] == "too_large"
    assert seconds < 30


def wide_sitemaps(path: str) -> Answer | None:
    """robots.txt names an index of 10 sitemaps of 20 articles each."""
    if path == "/robots.txt":
        return 200, {"Content-Type": "text/plain"}, f"User-agent: *\nSitemap: {HOME}/sitemap-index.xml\n".encode()
    if path == "/sitemap-index.xml":
        return (
            200,
            {"Content-Type": "application/xml"},
            (
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<sitemap><loc>{HOME}/sitemap-{n}.xml</loc></sitemap>" for n in range(10))
                + "</sitemapindex>"
            ).encode(),
        )
    if match := SITEMAP.fullmatch(path):
        first = 20 * int(match.group(1))
        return (
            200,
            {"Content-Type": "application/xml"},
            (
                '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(f"<url><loc>{HOME}{article_path(n)}</loc></url>" for n in range(first, first + 20))
                + "</urlset>"
            ).encode(),
        )
    return None


def test_sitemaps_per_run_and_entries_per_sitemap_are_bounded(tmp_path):
    database = tmp_path / "articles.db"
    with HostileSite(wide_sitemaps) as site:
        # The index named in robots.txt counts as one of the 4: then 3 of its 10 sitemaps.
        crawl(site, database, SITEMAP_MAX_SITEMAPS=4, SITEMAP_MAX_URLS=5)
        assert len(site.requested(SITEMAP.pattern)) == 3
    run = last_run(database)
    assert run["status"] == "ok"
    # The index is read up to its 5th sitemap too: 3 followed, 2 cut; 4 sitemaps (index included) read up to 5 entries.
    assert run["stats"][stats_keys.BOUND_SITEMAPS] == 2 and run["stats"][stats_keys.BOUND_SITEMAP_URLS] == 4
    assert stored(database) == 3 * 5
