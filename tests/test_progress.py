"""Live progress on a terminal (standard error a pseudo-terminal): the demo and `crawl` show one line per outlet
with pages, new and known articles, failures and the rate (the demo with a bar to its N articles), and `crawl` names
its log files first. Without a terminal (cron) they print exactly what they printed before: the table, nothing on
standard error."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

from crawler import outlets
from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 5
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
OUTLETS = outlets.names()
#: ANSI escape sequences (colours, cursor moves) of a terminal display.
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
#: One outlet's line: name, then (in the demo) a bar and its percentage, then the counts.
LINE = re.compile(
    r"^(\w+) +(?:(━+) +(\d+)% +)?(\d+) pages, (\d+) new, (\d+) known, (\d+) failed, (\S+)/min ?(done)?", re.MULTILINE
)


def run_on_terminal(command: list[str], timeout: float = 300) -> tuple[int, str, str]:
    """``command`` with standard error on a pseudo-terminal 80 columns wide, standard output on a pipe."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    environment = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=environment
    )
    os.close(slave)
    chunks = []
    while True:  # ends when the child closes the terminal (EIO) or it reports EOF
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    stdout = process.stdout.read().decode("utf-8")
    process.stdout.close()
    code = process.wait(timeout=timeout)
    terminal = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r", "\n")
    return code, stdout, terminal


def final_lines(terminal: str) -> dict[str, tuple]:
    """The last line drawn for each outlet."""
    return {match[0]: match[1:] for match in LINE.findall(terminal)}


def test_demo_shows_progress_bars_on_a_terminal(tmp_path):
    code, stdout, terminal = run_on_terminal(
        [sys.executable, "-m", "crawler", "demo", "--articles", str(ARTICLES), "--db", str(tmp_path / "articles.db")]
    )
    assert code == 0, stdout + terminal
    lines = final_lines(terminal)
    assert set(lines) == set(OUTLETS), repr(terminal[-1500:])
    for outlet, (bar, percent, pages, new, known, failed, rate, done) in lines.items():
        assert bar and percent == "100" and done == "done", (outlet, lines[outlet])
        assert int(new) == ARTICLES and int(known) == 0 and int(pages) > ARTICLES and int(failed) >= 0
        assert rate == "-" or int(rate) > 0
    assert stdout.startswith("outlet ") and "database: " in stdout  # the summary table, unchanged, on stdout


def test_demo_without_a_terminal_prints_only_its_table(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "demo", "--articles", str(ARTICLES), "--db", str(tmp_path / "articles.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["outlet", "stored", "new", "known", "status", "failures", "(this", "run)"]
    assert len(lines) == 2 + len(OUTLETS) + 1 + 3 and lines[-1] == f"database: {tmp_path / 'articles.db'}"


def crawl_command(replica: ReplicaServer, tmp_path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "crawler",
        "crawl",
        "--all",
        "--db",
        str(tmp_path / "articles.db"),
        "--replica",
        replica.url,
        "--jobs-dir",
        "",
        "--log-dir",
        str(tmp_path / "logs"),
        *FAST,
    ]


def test_crawl_names_its_logs_first_then_shows_each_outlet_on_a_terminal(tmp_path):
    with ReplicaServer(articles_per_outlet=ARTICLES) as replica:
        code, stdout, terminal = run_on_terminal(crawl_command(replica, tmp_path))
    assert code == 0, stdout + terminal
    first = terminal.lstrip().splitlines()[0]
    batch = re.search(r"batch (\w+);", stdout).group(1)
    assert first == f"logs: {tmp_path / 'logs'}/<outlet>-{batch}.log ({', '.join(OUTLETS)})"
    assert all((tmp_path / "logs" / f"{outlet}-{batch}.log").exists() for outlet in OUTLETS)
    lines = final_lines(terminal)
    assert set(lines) == set(OUTLETS), repr(terminal[-1500:])
    for outlet, (bar, _percent, pages, new, _known, _failed, _rate, done) in lines.items():
        assert not bar and done == "done"  # a live crawl's total is unknown: no bar
        assert int(new) == ARTICLES and int(pages) > ARTICLES, (outlet, lines[outlet])  # from the spiders' files
    assert stdout.splitlines()[0].split() == ["outlet", "status", "requests", "new", "updated", "skipped", "failed"]


def test_crawl_without_a_terminal_prints_only_its_table(tmp_path):
    with ReplicaServer(articles_per_outlet=ARTICLES) as replica:
        result = subprocess.run(crawl_command(replica, tmp_path), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["outlet", "status", "requests", "new", "updated", "skipped", "failed"]
    assert len(lines) == 2 + len(OUTLETS) + 2 and lines[-1].startswith("batch ")
