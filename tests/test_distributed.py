"""Distributed crawling (crawler/distributed/): 1, 2 and 3 worker processes share one outlet's crawl through a
real Redis server, one ``python -m crawler drain`` stores what they find, against a replica that answers each
request after a delay, as a remote site would.

Needs ``redis-server`` on PATH (CI installs it; skipped otherwise). Each run starts from an empty Redis and an
empty database; the incremental run then reuses the 2-worker run's database, from an emptied Redis, with workers
that cannot read it. Speed is measured from the
first to the last request the replica served, so process start-up and shutdown do not count. Run with ``-s`` to
see the measured speed-ups and duplicate fetches.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.items import Article, Image, PageFailure
from crawler.replica.content import replica_articles
from crawler.replica.server import ReplicaServer

pytest.importorskip("scrapy_redis", reason="scrapy-redis is not installed (a project dependency)")
redis = pytest.importorskip("redis", reason="redis-py is not installed (installed with scrapy-redis)")

from crawler.distributed import DistributedCrawling  # noqa: E402 (after the skips)
from crawler.distributed.codec import decode_item, encode_item  # noqa: E402
from crawler.distributed.keys import RedisKeys  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not on PATH (CI installs it: apt-get install -y redis-server)"
)

OUTLET = "tgvn"  # its sitemap lists every article at once: the crawl is wide, as a live outlet's is
ARTICLES = 60
REPLICA_DELAY = 0.15  # seconds per response: waiting on the site, not CPU, must dominate
#: One request at a time per worker: the speed-up then measures the workers, not Scrapy's concurrency.
WORKER_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "1",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
    "LOG_LEVEL": "INFO",
}
WORKER_COUNTS = (1, 2, 3)
MIN_SPEEDUP_OF_TWO = 1.7


# --- fixtures ------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = free_port()
    directory = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


class TimedReplica(ReplicaServer):
    """The replica, with the time each request was served (``served_at``, parallel to ``access_log``)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.served_at: list[float] = []

    def record(self, host: str, path: str, status: int) -> None:
        with self._lock:
            self.access_log.append((host, path, status))
            self.served_at.append(time.monotonic())


@pytest.fixture(scope="module")
def replica():
    with TimedReplica(articles_per_outlet=ARTICLES, delay=REPLICA_DELAY) as server:
        yield server


# --- one distributed crawl -----------------------------------------------------------------------------------------


@dataclass
class Run:
    workers: int
    database: Path
    seconds: float
    fetched: list[tuple[str, str]]
    """(host, path) of every request served during the run, robots.txt excepted (each worker reads it)."""

    @property
    def duplicate_fetches(self) -> int:
        return sum(count - 1 for count in Counter(self.fetched).values())

    def stored_urls(self) -> list[str]:
        with sqlite3.connect(self.database) as connection:
            return [url for (url,) in connection.execute("select url from articles where outlet = ?", [OUTLET])]


#: Seconds the writer waits, with no item and no live worker, before it exits: it is started first (as the README
#: says), so this must cover the workers' start-up.
DRAIN_IDLE_SECONDS = 10


def stored_count(database: Path) -> int:
    if not database.exists():
        return 0
    with sqlite3.connect(database) as connection:
        return connection.execute("select count(*) from articles where outlet = ?", [OUTLET]).fetchone()[0]


def crawl(
    workers: int,
    replica: TimedReplica,
    redis_url: str,
    database: Path,
    worker_database: Path | None = None,
    **worker_settings: str,
) -> Run:
    """One drain into ``database``, then ``workers`` ``scrapy crawl`` processes, as an operator starts them on
    several machines. ``worker_database``: the database the workers see (default ``database``: the same machine);
    ``worker_settings`` on top of :data:`WORKER_SETTINGS`."""
    client = redis.Redis.from_url(redis_url)
    drain = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "crawler",
            "drain",
            "--db",
            str(database),
            "--redis",
            redis_url,
            "--until-idle",
            str(DRAIN_IDLE_SECONDS),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # The writer publishes what is stored before it takes items; workers started before that would fetch it.
    already_stored = stored_count(database)
    deadline = time.monotonic() + 60
    while client.scard(RedisKeys("vn-news-crawler").stored(OUTLET)) < already_stored and time.monotonic() < deadline:
        time.sleep(0.05)
    env = {**os.environ, "REDIS_URL": redis_url}  # the environment variable alone switches the mode on
    settings = [
        arg
        for name, value in {
            **WORKER_SETTINGS,
            **worker_settings,
            "REPLICA_URL": replica.url,
            "DATABASE_PATH": str(worker_database or database),
        }.items()
        for arg in ("-s", f"{name}={value}")
    ]
    first = len(replica.access_log)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", OUTLET, *settings],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(workers)
    ]
    for process in processes:
        output, _ = process.communicate(timeout=180)
        assert process.returncode == 0, f"worker failed:\n{output[-4000:]}"
        assert "Traceback" not in output, f"worker raised:\n{output[-4000:]}"
        assert "'finish_reason': 'finished'" in output, output[-4000:]
    output, _ = drain.communicate(timeout=60)
    assert drain.returncode == 0 and "Traceback" not in output, f"drain failed:\n{output[-4000:]}"
    log, times = replica.access_log[first:], replica.served_at[first:]
    assert log, "no request reached the replica"
    return Run(
        workers=workers,
        database=database,
        seconds=times[-1] - times[0],
        fetched=[(host, path) for host, path, _status in log if path != "/robots.txt"],
    )


@pytest.fixture(scope="module")
def runs(replica, redis_url, tmp_path_factory) -> dict[int, Run]:
    """A fresh crawl (empty Redis, empty database) with each number of workers."""
    client = redis.Redis.from_url(redis_url)
    results = {}
    for workers in WORKER_COUNTS:
        client.flushdb()
        database = tmp_path_factory.mktemp(f"workers{workers}") / "articles.db"
        results[workers] = crawl(workers, replica, redis_url, database)
    single = results[1].seconds
    for run in results.values():
        print(
            f"\n[distributed] {run.workers} worker(s): {run.seconds:.2f} s, speed-up {single / run.seconds:.2f}x, "
            f"{len(run.fetched)} fetches, {run.duplicate_fetches} duplicate fetches"
        )
    return results


# --- the crawl -----------------------------------------------------------------------------------------------------


@needs_redis
@pytest.mark.parametrize("workers", WORKER_COUNTS)
def test_every_article_is_stored_exactly_once(runs, workers):
    stored = runs[workers].stored_urls()
    assert len(stored) == len(set(stored))
    assert set(stored) == {article.url for article in replica_articles(OUTLET, ARTICLES)}


@needs_redis
@pytest.mark.parametrize("workers", WORKER_COUNTS)
def test_no_url_is_fetched_twice_across_workers(runs, workers):
    duplicates = {page: count for page, count in Counter(runs[workers].fetched).items() if count > 1}
    assert not duplicates


@needs_redis
def test_two_workers_are_at_least_1_7_times_as_fast_as_one(runs):
    speedup = runs[1].seconds / runs[2].seconds
    assert speedup >= MIN_SPEEDUP_OF_TWO, f"1 worker {runs[1].seconds:.2f} s, 2 workers {runs[2].seconds:.2f} s"


@needs_redis
def test_a_second_run_downloads_no_stored_article(runs, replica, redis_url, tmp_path):
    """Incremental, on workers that cannot read the database (another machine) and after Redis lost everything:
    the writer publishes the stored URLs when it starts, and the workers' dupefilter drops them; discovery pages
    are fetched again."""
    previous = runs[2]
    redis.Redis.from_url(redis_url).flushdb()
    again = crawl(2, replica, redis_url, previous.database, worker_database=tmp_path / "elsewhere" / "articles.db")
    article_paths = {"/" + article.url.split("/", 3)[3] for article in replica_articles(OUTLET, ARTICLES)}
    assert not [path for _host, path in again.fetched if path in article_paths]
    assert again.fetched, "the second run must fetch its discovery pages again"
    assert again.duplicate_fetches == 0
    assert sorted(again.stored_urls()) == sorted(previous.stored_urls())
    assert stored_count(tmp_path / "elsewhere" / "articles.db") == 0, "the workers saw no stored article"


@needs_redis
def test_workers_that_read_the_database_recheck_recent_articles_and_the_writer_keeps_versions(runs, replica, redis_url):
    """Re-checks in this mode: workers with the database send conditional requests for the stored articles inside
    the window (every one, with a 100-year window); the one article revised since comes back whole, and the writer
    updates its row and keeps the previous text in ``article_versions``. (Last: it revises the shared replica.)"""
    database = runs[3].database
    target = replica_articles(OUTLET, ARTICLES)[0]
    with sqlite3.connect(database) as connection:
        [(article_id, before)] = connection.execute("select id, body from articles where url = ?", [target.url])
    replica.revise(target.url, "Cập nhật: thông tin bổ sung từ phóng viên thường trú.")
    mark = len(replica.access_log)
    crawl(2, replica, redis_url, database, RECHECK_WINDOW_DAYS="36500")
    statuses = Counter(status for _host, _path, status in replica.access_log[mark:])
    with sqlite3.connect(database) as connection:
        rows = connection.execute("select id, body from articles where url = ?", [target.url]).fetchall()
        versions = connection.execute("select article_id, version, body from article_versions").fetchall()
    [(row_id, body)] = rows  # never a second row
    target_path = "/" + target.url.split("/", 3)[3]
    assert row_id == article_id and body.endswith("phóng viên thường trú."), (
        statuses,
        [entry for entry in replica.access_log[mark:] if entry[1] == target_path],
    )
    assert versions == [(article_id, 1, before)]
    assert statuses[304] >= ARTICLES - 5, statuses  # unchanged articles: 304 Not Modified, no body
    assert sorted(runs[3].stored_urls()) == sorted({article.url for article in replica_articles(OUTLET, ARTICLES)})


# --- pieces that need no Redis ------------------------------------------------------------------------------------


def test_items_survive_the_trip_through_redis_as_json():
    article = Article(
        outlet="clo",
        url="https://congluan.vn/a-post1.html",
        title="Tiêu đề",
        lead="(CLO) Sapo",
        body="Đoạn 1\n\nĐoạn 2",
        native_id="post1",
        tags=["Nga", "Mỹ"],
        images=[Image("https://congluan.vn/i.jpg", "Chú thích"), Image("https://congluan.vn/j.jpg")],
    )
    failure = PageFailure(outlet="clo", url="https://congluan.vn/x.html", reason="http_404", status=404)
    assert decode_item(encode_item(article)) == article
    assert decode_item(encode_item(failure)) == failure
    with pytest.raises(ValueError):
        decode_item('{"kind": "article", "item": {"nonsense": 1}}')


def project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def test_without_redis_url_the_single_machine_settings_are_untouched(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = project_settings()
    before = {name: settings.get(name) for name in ("SCHEDULER", "DUPEFILTER_CLASS")}
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    DistributedCrawling().update_settings(settings)
    assert {name: settings.get(name) for name in before} == before
    assert dict(settings.getdict("ITEM_PIPELINES")) == pipelines


def test_redis_url_switches_scheduler_dupefilter_and_store(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://redis.example:6379/0")
    settings = project_settings()
    DistributedCrawling().update_settings(settings)
    assert settings["REDIS_URL"] == "redis://redis.example:6379/0"
    assert settings["SCHEDULER"] == "crawler.distributed.scheduler.SharedScheduler"
    assert settings.getbool("SCHEDULER_PERSIST")
    assert settings["SCHEDULER_QUEUE_KEY"] == RedisKeys("vn-news-crawler").requests("%(spider)s")
    pipelines = {getattr(key, "__name__", key): value for key, value in settings.getdict("ITEM_PIPELINES").items()}
    assert pipelines["RedisQueuePipeline"] == 300
    assert "pipelines.store.SQLitePipeline" not in pipelines
