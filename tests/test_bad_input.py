"""Every bad input a user can give the command line ends in one clear line on stderr and a non-zero exit code
(2 for a bad command line, 1 for a file or database that cannot be used), never a traceback.

Each case runs the real command (``python -m crawler ...`` or ``scrapy crawl ...``) in a subprocess. "A directory
that cannot be written" is a path under a regular file (``a-file/sub/...``): creating it fails for every user,
root included (root ignores permission bits, so a chmod'ed directory would not do).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.items import Article
from crawler.storage import open_database, save_articles

ROOT = Path(__file__).resolve().parent.parent
INDEPENDENT = ROOT / "tests" / "data" / "independent" / "a" / "pages"
ANTV_PAGE_URL = "https://antv.gov.vn/the-gioi-7/cac-ngoai-truong-nato-cam-ket-tang-cuong-ho-tro-ukraine-C4E2B2517.html"
BAD_COMMAND_LINE, UNUSABLE = 2, 1


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    """A folder with: a file that is not SQLite, a plain file (to put paths under), a directory, a corpus."""
    base = tmp_path_factory.mktemp("bad-input")
    (base / "not-sqlite.db").write_text("these are my notes, not a database\n", encoding="utf-8")
    (base / "a-file").write_text("x", encoding="utf-8")
    (base / "a-directory").mkdir()
    with open_database(base / "corpus.db") as db:
        # Enough text that the export does not fit in the output buffer: it must hit the full disk while writing.
        save_articles(
            db,
            [
                Article(
                    outlet="antv",
                    url=f"https://antv.gov.vn/bai-{n}.html",
                    title=f"Bài {n}",
                    lead=f"(ANTV) - Mở đầu {n}.",
                    body="Thân bài. " * 300,
                )
                for n in range(50)
            ],
        )
    return base


CASES = {
    # name: (command line, with {base} for the fixture's folder; expected exit code; words the line must hold)
    "demo --db not SQLite": (["demo", "--db", "{base}/not-sqlite.db"], UNUSABLE, "not an SQLite database"),
    "stats --db not SQLite": (["stats", "--db", "{base}/not-sqlite.db"], UNUSABLE, "not an SQLite database"),
    "crawl --db not SQLite": (["crawl", "antv", "--db", "{base}/not-sqlite.db"], UNUSABLE, "not an SQLite database"),
    "demo --db in an unwritable directory": (["demo", "--db", "{base}/a-file/sub/x.db"], UNUSABLE, "cannot be created"),
    "demo --db a directory": (["demo", "--db", "{base}/a-directory"], UNUSABLE, "is a directory"),
    "stats --db a directory": (["stats", "--db", "{base}/a-directory"], UNUSABLE, "is a directory"),
    "export -o in an unwritable directory": (
        ["export", "--db", "{base}/corpus.db", "-o", "{base}/a-file/x.jsonl"],
        UNUSABLE,
        "cannot write {base}/a-file/x.jsonl",
    ),
    "report -o in an unwritable directory": (
        ["report", "--db", "{base}/corpus.db", "-o", "{base}/a-file/sub/report.html"],
        UNUSABLE,
        "cannot write",
    ),
    "crawl --log-dir in an unwritable directory": (
        ["crawl", "antv", "--db", "{base}/corpus.db", "--log-dir", "{base}/a-file/logs"],
        UNUSABLE,
        "cannot write {base}/a-file/logs",
    ),
    "export to a full disk": (
        ["export", "--db", "{base}/corpus.db", "-o", "/dev/full"],
        UNUSABLE,
        "No space left on device",
    ),
    "search --limit beyond SQLite": (
        ["search", "x", "--db", "{base}/corpus.db", "--limit", "99999999999999999999"],
        BAD_COMMAND_LINE,
        "--limit",
    ),
    "crawl -s without =": (["crawl", "antv", "-s", "FOO"], BAD_COMMAND_LINE, "NAME=VALUE"),
    "crawl --since not a date": (["crawl", "antv", "--since", "2026-13-45"], BAD_COMMAND_LINE, "not an ISO date"),
    "crawl --max-articles negative": (["crawl", "antv", "--max-articles", "-5"], BAD_COMMAND_LINE, "must be between 1"),
    "crawl --since after --until": (
        ["crawl", "antv", "--db", "{base}/corpus.db", "--since", "2026-02-01", "--until", "2026-01-01"],
        BAD_COMMAND_LINE,
        "the range is empty",
    ),
    "unknown command": (["crawel"], BAD_COMMAND_LINE, "invalid choice"),
    "doctor of an unknown outlet": (["doctor", "cloo"], BAD_COMMAND_LINE, "unknown: cloo"),
    "doctor --replica where nothing listens": (
        ["doctor", "clo", "--replica", "http://127.0.0.1:1"],
        UNUSABLE,
        "cannot be reached (connection_refused)",
    ),
}

SCRAPY_CASES = {
    "since not a date": (["-a", "since=2026-13-45"], "since=2026-13-45: not a date"),
    "unknown argument (a typo)": (["-a", "sinse=2026-01-01"], "unknown spider argument 'sinse'"),
    "max_articles negative": (["-a", "max_articles=-5"], "max_articles=-5"),
    "max_articles not a number": (["-a", "max_articles=many"], "max_articles=many"),
    "since after until": (["-a", "since=2026-02-01", "-a", "until=2026-01-01"], "the range is empty"),
    "backfill not a boolean": (["-a", "backfill=maybe"], "backfill=maybe"),
}


def assert_one_clear_line(done: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert words in lines[0], lines[0]
    assert done.returncode == code, (done.returncode, done.stderr)


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_one_line_never_a_traceback(files, tmp_path, name):
    command, code, words = CASES[name]
    argv = [part.format(base=files) for part in command]
    # From an empty folder: whatever defaults a command falls back on (output/, logs) land there, not in the repo.
    done = subprocess.run(
        [sys.executable, "-m", "crawler", *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert_one_clear_line(done, code, words.format(base=files))


READ_ONLY_CASES = {
    "demo --db": (["demo", "--db", "{ro}/x.db"], "cannot be opened or created"),
    "export -o": (["export", "--db", "{base}/corpus.db", "-o", "{ro}/x.jsonl"], "cannot write {ro}/x.jsonl"),
    "report -o": (["report", "--db", "{base}/corpus.db", "-o", "{ro}/report.html"], "cannot write {ro}/report.html"),
    "crawl --log-dir": (
        ["crawl", "antv", "--db", "{base}/corpus.db", "--log-dir", "{ro}/logs"],
        "cannot write {ro}/logs",
    ),
}


@pytest.fixture(scope="module")
def read_only_directory(tmp_path_factory) -> Path:
    """A directory nobody may write to: mode 555 for a normal user; for root, who ignores modes, a read-only mount."""
    path = tmp_path_factory.mktemp("read-only")
    if os.geteuid() != 0:
        path.chmod(0o555)
        yield path
        path.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(
            "running as root without the right to mount a read-only file system; the a-file/sub cases "
            "above check the same errors"
        )
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


@pytest.mark.parametrize("name", READ_ONLY_CASES)
def test_read_only_directory_is_one_line(files, read_only_directory, tmp_path, name):
    command, words = READ_ONLY_CASES[name]
    argv = [part.format(base=files, ro=read_only_directory) for part in command]
    done = subprocess.run(
        [sys.executable, "-m", "crawler", *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert_one_clear_line(done, UNUSABLE, words.format(ro=read_only_directory))


def test_the_spider_itself_refuses_a_bad_argument():
    """Also when a spider is created without a command line (CrawlerProcess, tests, the demo)."""
    from crawler.spider_arguments import SpiderArgumentError
    from spiders import TgvnSpider

    with pytest.raises(SpiderArgumentError, match="unknown spider argument 'sinse'"):
        TgvnSpider(sinse="2026-01-01")
    spider = TgvnSpider(since="2026-01-01", until="2026-01-31", max_articles="5", urls="https://baoquocte.vn/a-1.html")
    assert (spider.max_articles, spider.only_urls, spider.run_mode) == (5, ["https://baoquocte.vn/a-1.html"], "partial")
    assert spider.until.isoformat() == "2026-02-01T00:00:00+07:00"  # until is inclusive: the next day's start


@pytest.mark.parametrize("name", SCRAPY_CASES)
def test_bad_spider_argument_of_scrapy_crawl_is_one_line(files, name):
    arguments, words = SCRAPY_CASES[name]
    # Scrapy logs its version banner at INFO before any command runs; above it, the command's own output is left.
    # Were an argument accepted, the crawl would go to a closed local port (REPLICA_URL), never to the live site.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "antv",
            "-L",
            "WARNING",
            *arguments,
            "-s",
            f"DATABASE_PATH={files}/corpus.db",
            "-s",
            "REPLICA_URL=http://127.0.0.1:9",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert_one_clear_line(done, BAD_COMMAND_LINE, words)


def test_output_into_a_closed_pipe_is_silent(tmp_path):
    """``python -m crawler extract page.html | head``: the reader has gone; no BrokenPipeError, exit 0."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has already exited: every write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "crawler", "extract", str(INDEPENDENT / "antv-1.html"), "--url", ANTV_PAGE_URL],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.stderr == "" and done.returncode == 0
