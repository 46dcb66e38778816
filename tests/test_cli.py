"""``python -m crawler``: argument parsing, the demo's outcome and summary, and (end to end) the demo itself."""

from __future__ import annotations

import ast
import importlib.metadata
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import scrapy
from scrapy.utils.test import get_crawler

from crawler import outlets, stats_keys
from crawler.cli import DEFAULT_ARTICLES_PER_OUTLET, OutletRun, build_parser, main, run_demo, run_replica, summary

ROOT = Path(__file__).resolve().parent.parent


def run_module(*args: str, cwd: Path = ROOT, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


# --- arguments -----------------------------------------------------------------------------------------------------


def test_help_lists_the_commands(tmp_path):
    # From another directory too: the CLI must not depend on finding scrapy.cfg.
    for cwd in (ROOT, tmp_path):
        result = run_module("--help", cwd=cwd)
        assert result.returncode == 0, result.stderr
        assert "demo" in result.stdout and "replica" in result.stdout


def test_a_command_is_required():
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2


def test_demo_arguments():
    args = build_parser().parse_args(["demo"])
    assert (args.run, args.db, args.articles) == (run_demo, None, DEFAULT_ARTICLES_PER_OUTLET)
    args = build_parser().parse_args(["demo", "--db", "tmp/x.db", "--articles", "5"])
    assert (args.db, args.articles) == ("tmp/x.db", 5)


def test_replica_arguments():
    args = build_parser().parse_args(["replica"])
    assert (args.run, args.port, args.articles) == (run_replica, 8800, DEFAULT_ARTICLES_PER_OUTLET)
    args = build_parser().parse_args(["replica", "--port", "9000", "--articles", "7"])
    assert (args.port, args.articles) == (9000, 7)


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_articles_must_be_a_positive_number(value, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--articles", value])
    assert "--articles" in capsys.readouterr().err


def test_project_settings_apply_outside_the_repository(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from crawler.cli import project_settings; s = project_settings(); "
            "print(s['BOT_NAME'], len(s.getdict('ITEM_PIPELINES')))",
        ],
        cwd=tmp_path,
        env={key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    from crawler import settings

    assert result.stdout.split() == ["vn-news-crawler", str(len(settings.ITEM_PIPELINES))], result.stderr


# --- outcome and summary -------------------------------------------------------------------------------------------


class AntvSpider(scrapy.Spider):
    name = "antv"


def test_outlet_run_reads_the_crawler_stats():
    crawler = get_crawler(AntvSpider)
    for key, value in {
        stats_keys.FINISH_REASON: "finished",
        stats_keys.ARTICLES_NEW: 3,
        stats_keys.ARTICLES_DUPLICATE: 2,
        stats_keys.failures("not_article"): 1,
        stats_keys.failures("http_404"): 2,
        stats_keys.dedupe("url"): 5,
    }.items():
        crawler.stats.set_value(key, value)
    run = OutletRun.of(crawler)
    assert run == OutletRun("antv", "finished", new=3, already_stored=2, failures={"http_404": 2, "not_article": 1})
    assert not run.failed


def outlet_run(stats: dict) -> OutletRun:
    crawler = get_crawler(AntvSpider)
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    return OutletRun.of(crawler)


FOUND = {
    stats_keys.FINISH_REASON: "finished",
    stats_keys.ARTICLES_NEW: 1,
    stats_keys.REQUEST_COUNT: 3,
    stats_keys.RESPONSE_STATUS_COUNT_PREFIX + "200": 3,
}


@pytest.mark.parametrize(
    "outcome, why",
    [
        ({stats_keys.FINISH_REASON: None}, "finish reason"),  # never started
        ({stats_keys.FINISH_REASON: "shutdown"}, "interrupted"),
        ({stats_keys.SPIDER_EXCEPTIONS: 1}, "exception"),
        ({stats_keys.STORAGE_WRITE_ERRORS: 1}, "write error"),
        ({stats_keys.ARTICLES_NEW: 0}, "found no article"),
        (
            {stats_keys.RESPONSE_STATUS_COUNT_PREFIX + "200": 0, stats_keys.failures("connection_refused"): 3},
            "no successful response",
        ),
        ({stats_keys.DISCOVERY_FAILED: 4, stats_keys.failures("http_500"): 4}, "discovery failed"),
    ],
)
def test_outlet_run_failed(outcome, why):
    run = outlet_run({**FOUND, **outcome})
    assert run.failed
    assert why in run.why_failed


def test_a_run_that_only_finds_stored_articles_succeeded():
    assert not outlet_run({**FOUND, stats_keys.ARTICLES_NEW: 0, stats_keys.ARTICLES_DUPLICATE: 5}).failed


def test_summary_table():
    runs = [
        OutletRun("antv", "finished", new=5, already_stored=0, failures={"not_article": 2}),
        OutletRun("clo", "shutdown", new=1, already_stored=3, why_failed="interrupted: stopped gracefully"),
    ]
    table = summary(runs, {"antv": 5, "clo": 4}, Path("/data/articles.db"))
    lines = table.splitlines()
    assert lines[0].split() == ["outlet", "stored", "new", "known", "status", "failures", "(this", "run)"]
    assert lines[2].split() == ["antv", "5", "5", "0", "ok", "not_article", "2"]
    assert lines[3].split() == ["clo", "4", "1", "3", "FAILED", "-"]
    assert lines[4].split() == ["total", "9", "6", "3", "2"]
    assert lines[5] == "clo: interrupted: stopped gracefully"
    assert lines[-1] == "database: /data/articles.db"


# --- end to end ----------------------------------------------------------------------------------------------------


def test_demo_end_to_end(tmp_path):
    """END TO END (slow, a few seconds per run): the real demo, replica server and four spiders included, twice
    on one database. The second run adds no row."""
    database = tmp_path / "demo" / "articles.db"
    first = run_module("demo", "--db", str(database), "--articles", "5", cwd=tmp_path, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Traceback" not in first.stderr, first.stderr
    assert f"database: {database}" in first.stdout
    with sqlite3.connect(database) as connection:
        per_outlet = dict(connection.execute("SELECT outlet, count(*) FROM articles GROUP BY outlet"))
    assert set(per_outlet) == set(outlets.names())
    assert all(count == 5 for count in per_outlet.values()), per_outlet

    second = run_module("demo", "--db", str(database), "--articles", "5", cwd=tmp_path, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    total = next(line for line in second.stdout.splitlines() if line.startswith("total")).split()
    assert total[1:3] == ["20", "0"], second.stdout


# --- conventions: the console script, the version, deployment files ------------------------------------------------


def test_console_script_and_version_are_the_packages():
    """`vn-news-crawler` is installed next to the interpreter and is `python -m crawler`; both print the one version,
    the installed distribution's (pyproject.toml reads it from crawler.__version__)."""
    script = Path(sys.executable).parent / "vn-news-crawler"
    assert script.is_file(), "pip install -e . installs the vn-news-crawler command"
    expected = f"vn-news-crawler {importlib.metadata.version('vn-news-crawler')}"
    by_name = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert (by_name.returncode, by_name.stdout.strip()) == (0, expected)
    assert run_module("--version").stdout.strip() == expected
    listed = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0 and "crawl" in listed.stdout and listed.stdout.startswith("usage: vn-news-crawler")


def test_deployment_files_are_in_the_repository_and_the_cron_line_can_append_to_its_log():
    """The cron line appends to a log whose directory a fresh checkout has (it is tracked, not made by a first
    crawl); the systemd units are files under deploy/, the one the README points to."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout: which files a fresh clone has is unknown")
    files = set(tracked.stdout.splitlines())
    assert {"LICENSE", "deploy/crontab", "deploy/vn-news-crawler.service", "deploy/vn-news-crawler.timer"} <= files
    [line] = [
        line
        for line in (ROOT / "deploy" / "crontab").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    log = line.split(">>")[1].split()[0]
    assert any(name.startswith(str(Path(log).parent) + "/") for name in files), log
    assert line in (ROOT / "README.md").read_text(encoding="utf-8")
    service = (ROOT / "deploy" / "vn-news-crawler.service").read_text()
    assert "ExecStart=/opt/vn-news-crawler/.venv/bin/vn-news-crawler crawl --all" in service


def test_crawl_of_a_replica_switches_the_politeness_delays_off(tmp_path):
    """`crawl --replica`, like the demo: no AutoThrottle and no download delay (the live settings would crawl a
    local replica at about 100 pages a minute). Read from what the spider process logs it runs with."""
    from crawler.replica.server import ReplicaServer

    with ReplicaServer(articles_per_outlet=5) as replica:
        done = run_module(
            "crawl",
            "tgvn",
            "--replica",
            replica.url,
            "--db",
            str(tmp_path / "articles.db"),
            "--max-articles",
            "2",
            "--jobs-dir",
            "",
            "--log-dir",
            str(tmp_path / "logs"),
            "-s",
            "LOG_LEVEL=INFO",
            timeout=300,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    [log] = (tmp_path / "logs").glob("tgvn-*.log")
    text = log.read_text(encoding="utf-8")
    # The settings that differ from Scrapy's defaults (0 and off for these two), as a dict, up to the next log line.
    overridden = ast.literal_eval(text.split("Overridden settings:", 1)[1].split("\n20", 1)[0].strip())
    assert overridden["BOT_NAME"] == "vn-news-crawler"
    assert float(overridden.get("DOWNLOAD_DELAY", 0)) == 0
    assert str(overridden.get("AUTOTHROTTLE_ENABLED", False)) == "False"
    extensions = text.split("Enabled extensions:", 1)[1].split("\n20", 1)[0]
    assert "CoreStats" in extensions and "AutoThrottle" not in extensions
