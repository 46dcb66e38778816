"""Date charts that show the corpus: a corpus spanning 2024-2026 with a few undated articles (stored today) is
drawn over its whole span by month, the per-day window ends at the latest publication date, undated articles are
counted apart, and the last-run line never starts after it ends."""

from __future__ import annotations

import re

import pytest

from crawler.corpus.report import render_report
from crawler.corpus.stats import corpus_stats, format_stats
from crawler.items import Article
from crawler.storage import open_database, save_articles

#: (outlet, publication day or None) of the articles: two years of clo, a few months of antv, two undated.
DATED = [
    ("clo", "2024-03-05"),
    ("clo", "2024-03-20"),
    ("clo", "2025-01-10"),
    ("clo", "2026-02-01"),
    ("antv", "2025-12-30"),
    ("antv", "2026-01-31"),
    ("antv", "2026-02-01"),
    ("antv", "2026-02-01"),
]
UNDATED = [("clo", None), ("antv", None)]


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "articles.db")
    save_articles(
        database,
        [
            Article(
                outlet=outlet,
                url=f"https://example.vn/{outlet}/{n}.html",
                title=f"Bài {n}",
                lead=f"(X) Mở {n}.",
                body=f"Nội dung số {n}.",
                published=f"{day}T10:00:00+07:00" if day else None,
                fetched_at="2026-12-01T03:00:00+00:00",
            )  # undated ones get 2026-12-01 as article_date
            for n, (outlet, day) in enumerate(DATED + UNDATED)
        ],
    )
    yield database
    database.close()


def test_per_day_window_ends_at_the_latest_publication_date_without_undated(db):
    stats = corpus_stats(db, days=30)
    assert stats["per_day"] == {"2026-01-31": {"antv": 1}, "2026-02-01": {"clo": 1, "antv": 2}}
    assert stats["undated"] == 2
    by_outlet = {entry["outlet"]: entry for entry in stats["outlets"]}
    assert (by_outlet["clo"]["first_date"], by_outlet["clo"]["last_date"], by_outlet["clo"]["undated"]) == (
        "2024-03-05",
        "2026-02-01",
        1,
    )
    assert "2 undated articles left out" in format_stats(stats)


def test_per_month_covers_the_whole_span(db):
    stats = corpus_stats(db)
    assert stats["per_month"] == {
        "2024-03": {"clo": 2},
        "2025-01": {"clo": 1},
        "2025-12": {"antv": 1},
        "2026-01": {"antv": 1},
        "2026-02": {"clo": 1, "antv": 2},
    }
    text = format_stats(stats)
    month_rows = re.findall(r"^(\d{4}-\d{2}) +(\d+) +(\d+) +(\d+)$", text, re.MULTILINE)
    assert month_rows[0] == ("2026-02", "2", "1", "3") and month_rows[-1] == ("2024-03", "0", "2", "2")


def test_report_draws_every_month_of_the_span(db):
    html = render_report(db, days=30)
    months = re.search(r'<svg id="months-chart".*?</svg>', html, re.DOTALL).group(0)
    bars = re.findall(r'data-outlet="(\w+)" data-period="([\d-]+)"', months)
    assert sorted(bars) == sorted(
        [
            ("clo", "2024-03"),
            ("clo", "2025-01"),
            ("antv", "2025-12"),
            ("antv", "2026-01"),
            ("clo", "2026-02"),
            ("antv", "2026-02"),
        ]
    )
    labels = re.findall(r">(\d{4}-\d{2})</text>", months)
    assert labels[0] == "2024-03" and labels[-1] <= "2026-02" and len(labels) >= 12  # gaps are drawn, not skipped
    days = re.search(r'<svg id="articles-chart".*?</svg>', html, re.DOTALL).group(0)
    assert set(re.findall(r'data-period="([\d-]+)"', days)) == {"2026-01-31", "2026-02-01"}
    assert '<span id="undated">2</span>' in html


def test_last_run_line_never_starts_after_it_ends(db):
    db["crawl_runs"].insert_all(
        [  # antv's last run ended long before clo's started, and clo's is still running
            {
                "outlet": "antv",
                "mode": "full",
                "started": "2026-12-01T01:00:00+00:00",
                "finished": "2026-12-01T01:05:00+00:00",
                "status": "ok",
            },
            {
                "outlet": "clo",
                "mode": "full",
                "started": "2026-12-01T02:00:00+00:00",
                "finished": "2026-12-01T02:30:00+00:00",
                "status": "ok",
            },
        ]
    )
    run = corpus_stats(db)["last_run"]
    assert (run["started"], run["finished"]) == ("2026-12-01T01:00:00+00:00", "2026-12-01T02:30:00+00:00")
    db["crawl_runs"].insert(
        {"outlet": "clo", "mode": "full", "started": "2026-12-01T04:00:00+00:00", "status": "running"}
    )
    run = corpus_stats(db)["last_run"]
    assert run["started"] == "2026-12-01T01:00:00+00:00" and run["finished"] is None
    text = format_stats(corpus_stats(db))
    start, end = re.search(r"last run: (\S+) \.\. (\S+)", text).groups()
    assert end == "-" or start <= end
