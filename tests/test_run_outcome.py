"""A run that fetched nothing is not ``ok``: refused connections (a wrong ``--replica``), or a site whose discovery
pages (sitemaps, feeds, listings) all fail, end ``failed`` with a one-line reason in ``crawl_runs`` and on the
console, and exit code 1, from ``python -m crawler crawl`` and from a plain ``scrapy crawl``."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from local_http import serving  # tests/: pytest puts it on sys.path

ROOT = Path(__file__).resolve().parent.parent
#: No retries, no delays: every request fails at once.
FAST = ["-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


@pytest.fixture
def refusing_url() -> Iterator[str]:
    """A port on 127.0.0.1 that refuses connections: bound (so no one else takes it) but not listening."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


class DiscoveryFails(BaseHTTPRequestHandler):
    """A site whose robots.txt answers (and names a sitemap) while every other page, sitemaps, feeds and listings
    included, is a 500."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body = f"User-agent: *\nAllow: /\nSitemap: https://{self.headers['Host']}/sitemap.xml\n".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
        else:
            body = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
            self.send_response(500)
            self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def discovery_fails_url() -> Iterator[str]:
    with serving(DiscoveryFails) as url:
        yield url


def crawl_command(replica: str, database: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            "clo",
            "--db",
            str(database),
            "--replica",
            replica,
            "--log-dir",
            str(tmp_path / "logs"),
            "--jobs-dir",
            "",
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def scrapy_crawl(replica: str, database: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "clo",
            "-s",
            f"DATABASE_PATH={database}",
            "-s",
            f"REPLICA_URL={replica}",
            "-s",
            "LOG_LEVEL=WARNING",
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def the_run(database: Path) -> tuple[str, str]:
    with sqlite3.connect(database) as connection:
        [run] = connection.execute("SELECT status, status_reason FROM crawl_runs").fetchall()
    return run


def failed_run(how: str, url: str, database: Path, tmp_path: Path) -> tuple[str, str]:
    """Crawl ``url`` with ``how`` (the crawl command, or a plain ``scrapy crawl``), check the run failed with
    exit 1 and said why on the console; the recorded reason and what the console showed."""
    if how == "crawl-command":
        done = crawl_command(url, database, tmp_path)
        console = done.stdout
    else:
        done = scrapy_crawl(url, database)
        console = done.stdout + done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    status, why = the_run(database)
    assert status == "failed"
    return why, console


@pytest.mark.parametrize("how", ["crawl-command", "scrapy-crawl"])
def test_a_run_refused_everywhere_fails(refusing_url, tmp_path, how):
    why, console = failed_run(how, refusing_url, tmp_path / "articles.db", tmp_path)
    # robots.txt cannot be fetched either, so every other request is refused for this run (RFC 9309)
    assert why.startswith("no successful response to ") and "robots_unavailable" in why, why
    assert why in console


@pytest.mark.parametrize("how", ["crawl-command", "scrapy-crawl"])
def test_a_run_whose_discovery_pages_all_fail_fails(discovery_fails_url, tmp_path, how):
    database = tmp_path / "articles.db"
    why, console = failed_run(how, discovery_fails_url, database, tmp_path)
    assert why.startswith("discovery failed: none of its ") and "http_500" in why, why
    assert why in console
    with sqlite3.connect(database) as connection:  # each discovery page that failed is recorded
        reasons = {reason for (reason,) in connection.execute("SELECT reason FROM failures")}
    assert reasons == {"http_500"}
