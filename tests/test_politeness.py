"""Politeness: robots.txt obeyed (and refusals recorded), AutoThrottle on, per-domain concurrency bounded, a
User-Agent naming the crawler with the contact URL of the CONTACT_URL setting. Plus parse errors recorded."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.items import PageFailure
from spiders import CloSpider

ROOT = Path(__file__).resolve().parent.parent
CONTACT = "https://example.org/crawler-contact"


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Recorder

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append((self.path, self.headers.get("User-Agent", "")))
            self.server.active += 1
            self.server.max_active = max(self.server.max_active, self.server.active)
        try:
            if self.path == "/robots.txt":
                body = b"User-agent: *\nDisallow: /private/\n"
                content_type = "text/plain"
            else:
                time.sleep(0.15)  # slow enough for parallel requests to overlap
                body = b"<html><head><title>x</title></head><body><p>Not a news article.</p></body></html>"
                content_type = "text/html; charset=utf-8"
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            with self.server.lock:
                self.server.active -= 1

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def polite_crawl(tmp_path_factory):
    """A clo crawl of 24 article URLs (one disallowed by robots.txt) against a recording server, with the
    project's politeness settings (AutoThrottle on), a per-domain bound of 2 and a contact URL given with -s."""
    database = tmp_path_factory.mktemp("polite") / "articles.db"
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    urls = [f"https://congluan.vn/bai-{i}-post{100000 + i}.html" for i in range(23)]
    urls.append("https://congluan.vn/private/bi-mat-post199999.html")
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "clo",
                "-a",
                "urls=" + ",".join(urls),
                "-s",
                f"DATABASE_PATH={database}",
                "-s",
                f"REPLICA_URL=http://127.0.0.1:{server.server_address[1]}",
                "-s",
                f"CONTACT_URL={CONTACT}",
                "-s",
                "CONCURRENT_REQUESTS_PER_DOMAIN=2",
                "-s",
                "AUTOTHROTTLE_START_DELAY=0.01",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "LOG_LEVEL=INFO",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stderr[-3000:]
    return server, database, result.stderr


def test_robots_disallowed_url_is_never_fetched_and_is_recorded(polite_crawl):
    server, database, _log = polite_crawl
    paths = [path for path, _ua in server.requests]
    assert "/robots.txt" in paths
    assert not any(path.startswith("/private/") for path in paths)
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT url, reason FROM failures WHERE reason = 'robots_disallowed'").fetchall()
    assert rows == [("https://congluan.vn/private/bi-mat-post199999.html", "robots_disallowed")]


def test_user_agent_names_the_crawler_and_the_contact_url_from_the_setting(polite_crawl):
    server, _database, _log = polite_crawl
    agents = {ua for _path, ua in server.requests}
    assert agents == {f"vn-news-crawler/0.1 (+{CONTACT})"}


def test_per_domain_concurrency_is_bounded_and_autothrottle_is_on(polite_crawl):
    server, _database, log = polite_crawl
    assert 1 <= server.max_active <= 2
    assert "scrapy.extensions.throttle.AutoThrottle" in log


def test_project_settings_are_polite():
    settings = get_project_settings()
    assert "crawler.politeness.ContactUserAgent" in settings.getdict("ADDONS")
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert 1 <= settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 8
    assert settings.getfloat("DOWNLOAD_DELAY") > 0
    assert settings["CONTACT_URL"] in settings["USER_AGENT"]


def _applied(**overrides) -> Settings:
    """The settings as the add-on leaves them (Scrapy runs add-ons after every other settings source)."""
    from crawler.politeness import ContactUserAgent

    settings = get_project_settings().copy()
    settings.setdict(overrides, priority="cmdline")
    ContactUserAgent().update_settings(settings)
    return settings


def test_user_agent_follows_contact_url_and_an_explicit_user_agent_wins():
    assert _applied(CONTACT_URL=CONTACT)["USER_AGENT"] == f"vn-news-crawler/0.1 (+{CONTACT})"
    assert _applied(CONTACT_URL=CONTACT, USER_AGENT="mine/1.0")["USER_AGENT"] == "mine/1.0"


def test_an_extractor_error_is_recorded_as_parse_error(monkeypatch):
    from scrapy.http import HtmlResponse

    import crawler.spider

    def broken(*args, **kwargs):
        raise ValueError("unexpected markup")

    monkeypatch.setattr(crawler.spider, "explain", broken)
    spider_crawler = get_crawler(CloSpider, {"INCREMENTAL_ENABLED": False})
    spider = CloSpider.from_crawler(spider_crawler)
    spider_crawler.stats.open_spider()
    url = "https://congluan.vn/bai-post123456.html"
    response = HtmlResponse(url, body=b"<html><body><h1>x</h1></body></html>", encoding="utf-8")
    [failure] = list(spider.parse_article(response))
    assert isinstance(failure, PageFailure)
    assert (failure.reason, failure.url) == ("parse_error", url)
    assert "unexpected markup" in failure.detail


def disallowed_urls(site) -> list[str]:
    """One URL under each ``Disallow`` rule of the replica site's robots.txt (``*`` stands for an article path, so
    ``/*?print=`` gives an article's print view)."""
    article_path = site.newest[0].path.lstrip("/")
    rules = [line.split(":", 1)[1].strip() for line in site.robots_txt().splitlines() if line.startswith("Disallow:")]
    return [site.abs(rule.replace("*", article_path) + ("1" if rule.endswith("=") else "x")) for rule in rules]


def test_the_replicas_disallowed_paths_are_never_fetched_and_are_recorded(tmp_path):
    """Each outlet is asked (``urls=``) for one healthy article and a URL under every path its replica's robots.txt
    disallows, all at once, while robots.txt is still downloading (Scrapy's own middleware let all but the first of
    those through): the replica never serves them, and each is a ``robots_disallowed`` failure."""
    from protego import Protego

    from crawler import outlets
    from crawler.replica.server import ReplicaServer
    from crawler.urls import canonical_url

    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=10) as replica:
        forbidden = {}
        for outlet in outlets.registry():
            site = replica.site(outlet.name)
            robots = Protego.parse(site.robots_txt())
            urls = [canonical_url(url, outlet) for url in disallowed_urls(site)]
            assert urls and not any(robots.can_fetch(url, "vn-news-crawler") for url in urls), urls
            forbidden[outlet.name] = urls
        processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "scrapy",
                    "crawl",
                    name,
                    "-a",
                    "urls=" + ",".join([replica.site(name).newest[0].url, *urls]),
                    "-s",
                    f"DATABASE_PATH={database}",
                    "-s",
                    f"REPLICA_URL={replica.url}",
                    "-s",
                    "LOG_LEVEL=WARNING",
                    "-s",
                    "DOWNLOAD_DELAY=0",
                    "-s",
                    "AUTOTHROTTLE_ENABLED=False",
                ],
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name, urls in forbidden.items()
        ]
        for process in processes:
            _, stderr = process.communicate(timeout=120)
            assert process.returncode == 0, stderr[-3000:]
        served = {(host, target) for host, target, _status in replica.access_log}
    with sqlite3.connect(database) as connection:
        recorded = set(connection.execute("SELECT outlet, url FROM failures WHERE reason = 'robots_disallowed'"))
        stored = {outlet for (outlet,) in connection.execute("SELECT outlet FROM articles")}
    assert stored == set(forbidden), "the healthy article of each outlet is fetched and stored"
    for name, urls in forbidden.items():
        for url in urls:
            assert (name, url) in recorded
            path = url.split("/", 3)[3]
            assert not [target for _host, target in served if target.lstrip("/") == path], url
