"""The distributed mode tells the truth and loses nothing when Redis fails: a worker whose Redis is killed mid-crawl
ends with a failure finish reason and exit code 1; the writer (``drain``) rides out a Redis restart, reconnecting
with backoff and logging one line for the outage; an item the writer cannot store goes to the rejected list with
its reason while the rest of its batch is stored; SIGINT and SIGTERM stop the writer within seconds whatever it is
doing, even when the signal arrives while Python runs a finalizer. Each test starts (and kills) its own
``redis-server``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crawler.items import Article
from crawler.replica.server import ReplicaServer

redis = pytest.importorskip("redis", reason="redis-py is not installed (installed with scrapy-redis)")

from crawler.distributed.codec import encode_item  # noqa: E402 (after the skip)
from crawler.distributed.keys import RedisKeys  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not on PATH (apt-get install -y redis-server)"
)
KEYS = RedisKeys("vn-news-crawler")


class RedisProcess:
    """A redis-server on a fixed port that a test can kill outright and start again (empty: no persistence)."""

    def __init__(self, directory: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = self.client()
        for _ in range(200):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def client(self):
        return redis.Redis.from_url(self.url)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisProcess(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


def wait_for(condition, timeout: float = 60, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out: {message}")
        time.sleep(0.05)


def article(index: int, **fields) -> Article:
    fields = {"fetched_at": "2026-11-20T10:00:00+00:00", **fields}
    return Article(
        outlet="clo",
        url=f"https://congluan.vn/tin-so-{index}-post{index}.html",
        native_id=f"post{index}",
        title=f"Tin số {index}",
        lead=f"(CLO) Mở đầu của tin số {index}.",
        body=f"Thân bài riêng của tin số {index}.",
        **fields,
    )


def stored_urls(database: Path) -> set[str]:
    if not database.exists():
        return set()
    with sqlite3.connect(database) as connection:
        try:
            return {url for (url,) in connection.execute("SELECT url FROM articles")}
        except sqlite3.OperationalError:  # the writer is still creating the schema
            return set()


def queue_until_stored(client, database: Path, numbers: range, message: str) -> None:
    """Queue the articles ``numbers`` for the running drain and wait until it has stored them: ``numbers.stop``
    articles in all (the numbers before them stored already)."""
    client.rpush(KEYS.items, *(encode_item(article(i)) for i in numbers))
    wait_for(lambda: len(stored_urls(database)) == numbers.stop, message=message)


def start_drain(redis_url: str, database: Path, *arguments: str, python: tuple[str, ...] = ("-m", "crawler")):
    return subprocess.Popen(
        [sys.executable, *python, "drain", "--db", str(database), "--redis", redis_url, *arguments],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


#: How long a signalled writer may take to exit: it finishes the batch in hand and its waits are about a second.
STOP_WITHIN = 5


def stop_drain(drain: subprocess.Popen, sig: signal.Signals) -> str:
    """Send ``sig`` to ``drain``; its output once it exited (see :func:`exited_output`)."""
    drain.send_signal(sig)
    return exited_output(drain, after=sig.name)


def exited_output(drain: subprocess.Popen, after: str) -> str:
    """The output of ``drain`` once it exited; the test fails (and the drain is killed) when that takes longer
    than :data:`STOP_WITHIN`."""
    try:
        output, _ = drain.communicate(timeout=STOP_WITHIN)
    except subprocess.TimeoutExpired:
        drain.kill()
        output, _ = drain.communicate()
        pytest.fail(f"the drain did not exit within {STOP_WITHIN} s of {after}:\n{output[-3000:]}")
    return output


def assert_stopped_cleanly(drain: subprocess.Popen, output: str, database: Path, articles: int) -> None:
    assert drain.returncode == 0, output[-3000:]
    assert "Traceback" not in output and "Exception ignored" not in output, output[-3000:]
    assert "Stopped on request" in output, output[-3000:]
    assert f" {articles} new articles, 0 already stored" in output, output[-3000:]
    assert stored_urls(database) == {article(i).url for i in range(articles)}


# --- workers ---------------------------------------------------------------------------------------------------------


def test_a_worker_that_loses_redis_ends_failed_and_exits_1(redis_server, tmp_path):
    with ReplicaServer(articles_per_outlet=60, delay=0.1) as replica:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "tgvn",
                "-s",
                f"REPLICA_URL={replica.url}",
                "-s",
                f"DATABASE_PATH={tmp_path / 'articles.db'}",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "CONCURRENT_REQUESTS=2",
                "-s",
                "LOG_LEVEL=INFO",
            ],
            cwd=ROOT,
            env={**os.environ, "REDIS_URL": redis_server.url},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        client = redis_server.client()
        wait_for(lambda: client.llen(KEYS.items) >= 5 or worker.poll() is not None, message="no item queued")
        redis_server.kill()  # mid-crawl: most of the 60 articles are still to come
        output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 1, output[-3000:]
    assert "'finish_reason': 'redis_unavailable'" in output, output[-3000:]
    assert "run failed: closed with finish reason 'redis_unavailable'" in output, output[-3000:]


# --- the writer ------------------------------------------------------------------------------------------------------


def test_drain_reconnects_after_redis_restarts_and_logs_the_outage_once(redis_server, tmp_path):
    database = tmp_path / "articles.db"
    client = redis_server.client()
    drain = start_drain(redis_server.url, database)
    try:
        queue_until_stored(client, database, range(5), message="first items not stored")
        redis_server.kill()
        time.sleep(3)  # several reconnection attempts while Redis is down
        assert drain.poll() is None, "drain exited when Redis went away"
        redis_server.start()
        queue_until_stored(client, database, range(5, 10), message="items queued after the restart not stored")
    finally:
        output = stop_drain(drain, signal.SIGINT)
    assert_stopped_cleanly(drain, output, database, articles=10)
    assert output.count("Redis unavailable") == 1, output[-3000:]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("state", ["waiting for items", "redis down"])
def test_drain_stops_promptly_and_cleanly_on_a_signal_whatever_it_is_doing(redis_server, tmp_path, state, sig):
    """Ctrl-C (SIGINT) or systemd's stop (SIGTERM): exit 0 with what was stored, within seconds, whether the
    writer is blocked on ``BLMOVE`` or waiting between two attempts to reach a Redis that went away."""
    database = tmp_path / "articles.db"
    client = redis_server.client()
    drain = start_drain(redis_server.url, database)
    try:
        queue_until_stored(client, database, range(5), message="items not stored")
        if state == "redis down":
            redis_server.kill()
            time.sleep(2)  # past the first attempts to reconnect: the writer is in its backoff
        else:
            time.sleep(0.5)  # the writer is blocked on BLMOVE, waiting for the next item
    finally:
        output = stop_drain(drain, sig)
    assert_stopped_cleanly(drain, output, database, articles=5)
    assert ("Redis unavailable" in output) == (state == "redis down"), output[-3000:]


def test_the_first_stop_signal_cuts_the_writers_wait_short_and_the_next_one_acts_as_before():
    """In this process: SIGTERM wakes the writer from a 60 s wait (its reconnection backoff) at once, and puts the
    handlers back, so that a second signal stops a writer that does not stop at once (SIGINT: KeyboardInterrupt)."""
    from crawler.distributed.command import stopped_by_signals

    before = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    with stopped_by_signals() as stop:
        assert not stop.wait(0.01)
        # Python runs handlers in the main thread: the signal is sent to it, as the kernel does to the writer
        threading.Timer(0.2, signal.pthread_kill, (threading.main_thread().ident, signal.SIGTERM)).start()
        started = time.monotonic()
        assert stop.wait(60)
        assert time.monotonic() - started < STOP_WITHIN
        assert stop.requested
        assert {sig: signal.getsignal(sig) for sig in before} == before
    assert {sig: signal.getsignal(sig) for sig in before} == before


# The writer's command, except that redis-py's Pipeline finalizer, which the writer runs after each batch (when it
# publishes the batch's URLs), first sends SIGINT to the process once the trigger file exists: the signal is then
# handled while Python runs a finalizer, where a KeyboardInterrupt is printed ("Exception ignored in") and dropped.
SIGINT_IN_A_FINALIZER = """
import os, signal, sys
from pathlib import Path

from redis.client import Pipeline

trigger, sent = Path(sys.argv[1]), Path(sys.argv[2])
finalize = Pipeline.__del__


def signal_then_finalize(self):
    if trigger.exists() and not sent.exists():
        sent.touch()
        os.kill(os.getpid(), signal.SIGINT)
    finalize(self)


Pipeline.__del__ = signal_then_finalize
from crawler.cli import main

sys.exit(main(sys.argv[3:]))
"""


def test_a_sigint_that_arrives_while_python_runs_a_finalizer_still_stops_the_drain(redis_server, tmp_path):
    """The full test suite's rare hang of the drain after Ctrl-C, made certain: the signal lands in redis-py's
    ``Pipeline.__del__``. The drain must exit all the same, having stored everything."""
    database = tmp_path / "articles.db"
    trigger, sent = tmp_path / "trigger", tmp_path / "sent"
    client = redis_server.client()
    drain = start_drain(redis_server.url, database, python=("-c", SIGINT_IN_A_FINALIZER, str(trigger), str(sent)))
    try:
        queue_until_stored(client, database, range(5), message="first items not stored")
        trigger.touch()
        client.rpush(KEYS.items, *(encode_item(article(i)) for i in range(5, 10)))
        wait_for(sent.exists, message="the finalizer did not run after the second batch")
        output = exited_output(drain, after="a SIGINT handled in a finalizer")
    finally:
        if drain.poll() is None:  # a step above failed
            drain.kill()
            drain.communicate()
    assert_stopped_cleanly(drain, output, database, articles=10)


def test_an_item_that_cannot_be_stored_is_rejected_with_its_reason_and_the_rest_flow(redis_server, tmp_path):
    database = tmp_path / "articles.db"
    client = redis_server.client()
    bad = article(3, fetched_at="hom qua")  # not a time: storage cannot take it
    client.rpush(KEYS.items, *(encode_item(item) for item in [article(0), article(1), article(2), bad, article(4)]))
    drain = start_drain(redis_server.url, database, "--until-idle", "2")
    output, _ = drain.communicate(timeout=120)
    assert drain.returncode == 0, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert stored_urls(database) == {article(i).url for i in (0, 1, 2, 4)}
    assert client.llen(KEYS.items_writing) == 0 and client.llen(KEYS.items) == 0
    [rejected] = [json.loads(entry) for entry in client.lrange(KEYS.items_rejected, 0, -1)]
    assert "hom qua" in rejected["reason"], rejected
    assert json.loads(rejected["entry"])["item"]["url"] == bad.url
