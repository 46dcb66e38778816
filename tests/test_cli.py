"""``python -m crawler``: argument parsing, the demo's outcome and summary, and (end to end) the demo itself."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import scrapy
from scrapy.utils.test import get_crawler

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
        [sys.executable, "-c", "from crawler.cli import project_settings; s = project_settings(); "
         "print(s['BOT_NAME'], len(s.getdict('ITEM_PIPELINES')))"],
        cwd=tmp_path, env={key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"},
        capture_output=True, text=True, timeout=60,
    )
    from crawler import settings

    assert result.stdout.split() == ["vn-news-crawler", str(len(settings.ITEM_PIPELINES))], result.stderr


# --- outcome and summary -------------------------------------------------------------------------------------------


class AntvSpider(scrapy.Spider):
    name = "antv"


def test_outlet_run_reads_the_crawler_stats():
    crawler = get_crawler(AntvSpider)
    for key, value in {"finish_reason": "finished", "articles/new": 3, "articles/duplicate": 2,
                       "failures/not_article": 1, "failures/http_404": 2, "dedupe/url": 5}.items():
        crawler.stats.set_value(key, value)
    run = OutletRun.of(crawler)
    assert run == OutletRun("antv", "finished", new=3, already_stored=2,
                            failures={"http_404": 2, "not_article": 1})
    assert not run.failed


def outlet_run(stats: dict) -> OutletRun:
    crawler = get_crawler(AntvSpider)
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    return OutletRun.of(crawler)


FOUND = {"finish_reason": "finished", "articles/new": 1, "downloader/request_count": 3,
         "downloader/response_status_count/200": 3}


@pytest.mark.parametrize(
    "outcome, why",
    [
        ({"finish_reason": None}, "finish reason"),  # never started
        ({"finish_reason": "shutdown"}, "interrupted"),
        ({"spider_exceptions/count": 1}, "exception"),
        ({"storage/write_errors": 1}, "write error"),
        ({"articles/new": 0}, "found no article"),
        ({"downloader/response_status_count/200": 0, "failures/connection_refused": 3}, "no successful response"),
        ({"discovery/failed": 4, "failures/http_500": 4}, "discovery failed"),
    ],
)
def test_outlet_run_failed(outcome, why):
    run = outlet_run({**FOUND, **outcome})
    assert run.failed
    assert why in run.why_failed


def test_a_run_that_only_finds_stored_articles_succeeded():
    assert not outlet_run({**FOUND, "articles/new": 0, "articles/duplicate": 5}).failed


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
    assert set(per_outlet) == {"antv", "clo", "tgvn", "kinhtedothi"}
    assert all(count == 5 for count in per_outlet.values()), per_outlet

    second = run_module("demo", "--db", str(database), "--articles", "5", cwd=tmp_path, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    total = next(line for line in second.stdout.splitlines() if line.startswith("total")).split()
    assert total[1:3] == ["20", "0"], second.stdout
