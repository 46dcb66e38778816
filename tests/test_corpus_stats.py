"""``stats``: per-day counts on the Vietnam day, the last run from ``crawl_runs``, failure rates, filters."""

from __future__ import annotations

import pytest

from crawler.corpus.filters import ArticleFilter
from crawler.corpus.stats import corpus_stats, format_stats
from crawler.items import Article, PageFailure
from crawler.storage import open_database, record_failures, save_articles


def article(n: int, outlet: str, published: str | None) -> Article:
    return Article(
        outlet=outlet,
        url=f"https://example.vn/{outlet}/{n}.html",
        title=f"Bài {n}",
        lead=f"(X) Mở đầu {n}.",
        body=f"Nội dung {n}.",
        published=published,
        fetched_at="2026-11-21T03:00:00+00:00",
    )


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "articles.db")
    save_articles(
        database,
        [
            article(1, "clo", "2026-11-19T05:30:00+07:00"),  # 2026-11-18 in UTC: still the 19th
            article(2, "clo", "2026-11-19T20:00:00+07:00"),
            article(3, "clo", "2026-11-20T08:00:00+07:00"),
            article(4, "antv", "2026-11-20T09:00:00+07:00"),
            article(5, "antv", None),  # undated: the UTC day first stored, 2026-11-21
            article(6, "antv", "2026-11-01T09:00:00+07:00"),  # outside a 14-day window
        ],
    )
    record_failures(
        database,
        [
            PageFailure("clo", "https://example.vn/clo/x", "http_404", "", 404, "2026-11-21T03:00:00+00:00"),
            PageFailure("clo", "https://example.vn/clo/y", "not_article", "", 200, "2026-11-21T03:00:00+00:00"),
        ],
    )
    database["crawl_runs"].insert_all(
        [
            {
                "outlet": "clo",
                "mode": "full",
                "started": "2026-11-20T00:00:00+00:00",
                "status": "ok",
                "new": 9,
                "updated": 9,
                "failed": 9,
            },
            {
                "outlet": "clo",
                "mode": "full",
                "started": "2026-11-21T03:00:00+00:00",
                "finished": "2026-11-21T03:10:00+00:00",
                "status": "ok",
                "new": 3,
                "updated": 1,
                "failed": 2,
            },
        ]
    )
    yield database
    database.close()


def test_per_day_counts_use_the_vietnam_day_within_the_window(db):
    stats = corpus_stats(db, days=14)
    # The undated article (stamped 2026-11-21, the day it was stored) is not in a date chart.
    assert stats["per_day"] == {"2026-11-19": {"clo": 2}, "2026-11-20": {"clo": 1, "antv": 1}}


def test_the_last_run_is_the_latest_crawl_runs_row_of_each_outlet(db):
    stats = corpus_stats(db)
    clo, antv = (next(entry for entry in stats["outlets"] if entry["outlet"] == name) for name in ("clo", "antv"))
    assert (clo["articles"], clo["new"], clo["updated"], clo["failures_in_run"]) == (3, 3, 1, 2)
    assert clo["last_run"]["started"] == "2026-11-21T03:00:00+00:00"
    assert clo["failures"] == 2 and clo["failure_rate"] == pytest.approx(2 / 5, abs=1e-4)
    assert clo["failure_reasons"] == {"http_404": 1, "not_article": 1}
    # No run logged for ANTV: its articles stored on the last crawl day count as new.
    assert (antv["articles"], antv["new"], antv["last_run"]) == (3, 3, None)
    assert stats["last_run"] == {
        "source": "crawl_runs",
        "started": "2026-11-21T03:00:00+00:00",
        "finished": "2026-11-21T03:10:00+00:00",
    }
    text = format_stats(stats)
    assert "last run: 2026-11-21T03:00:00+00:00 .. 2026-11-21T03:10:00+00:00 (crawl_runs)" in text
    assert "\nclo                 3     3       1        2     40.0%" in text


def test_filters_select_outlets_and_days(db):
    only = corpus_stats(db, ArticleFilter(outlets=("antv",), since="2026-11-20"))
    assert [entry["outlet"] for entry in only["outlets"]] == ["antv"] and only["articles"] == 2
    assert only["per_day"] == {"2026-11-20": {"antv": 1}} and only["undated"] == 1
