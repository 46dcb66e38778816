"""Full-text search: diacritics folded (đ included), kept in sync by triggers, filters, ranking."""

from __future__ import annotations

import pytest

from crawler.corpus.filters import ArticleFilter
from crawler.corpus.search import fts_query, search
from crawler.items import Article
from crawler.storage import open_database, save_articles


def article(n: int, title: str, body: str = "Nội dung.", outlet: str = "clo", published: str | None = None) -> Article:
    return Article(
        outlet=outlet,
        url=f"https://example.vn/{outlet}/{n}.html",
        title=title,
        lead=f"(X) Mở đầu {n}.",
        body=body,
        published=published or "2026-11-20T08:00:00+07:00",
        fetched_at="2026-11-20T03:00:00+00:00",
    )


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "articles.db")
    save_articles(
        database,
        [
            article(1, "Hà Nội khai trương tuyến buýt mới", outlet="clo", published="2026-11-18T08:00:00+07:00"),
            article(2, "Đà Nẵng đón khách quốc tế", outlet="antv", published="2026-11-19T08:00:00+07:00"),
            article(
                3, "Kinh tế tạo đà phát triển năng lượng", body="Đà tăng trưởng và năng lượng sạch.", outlet="tgvn"
            ),
            article(
                4,
                "Thời tiết",
                body="Mưa lớn ở Hà Nội và Đà Nẵng.",
                outlet="kinhtedothi",
                published="2026-11-21T08:00:00+07:00",
            ),
        ],
    )
    yield database
    database.close()


def titles(results):
    return [result["title"] for result in results]


def test_ha_noi_finds_ha_noi_with_diacritics(db):
    assert set(titles(search(db, "Ha Noi"))) == {"Hà Nội khai trương tuyến buýt mới", "Thời tiết"}
    assert titles(search(db, "ha noi"))[0] == "Hà Nội khai trương tuyến buýt mới"  # title weighs more than body


def test_da_nang_finds_da_nang_written_with_d_stroke(db):
    results = titles(search(db, "Da Nang"))
    assert "Đà Nẵng đón khách quốc tế" in results
    assert results[:2] == ["Đà Nẵng đón khách quốc tế", "Thời tiết"]  # the phrase ranks before "đà ... năng"
    assert titles(search(db, "Đà Nẵng")) == results  # the query's own diacritics do not matter


def test_query_expansion():
    assert fts_query("Ha Noi") == '"ha" AND "noi"'
    assert fts_query("Đà nẵng") == '("da" OR "đa") AND "nang"'
    assert fts_query('"ha noi" -mua') == '("ha noi") NOT "mua"'
    with pytest.raises(ValueError):
        fts_query("  !! ")


def test_outlet_and_date_filters(db):
    only = ArticleFilter(outlets=("kinhtedothi",))
    assert titles(search(db, "Ha Noi", only)) == ["Thời tiết"]
    dated = ArticleFilter(since="2026-11-19", until="2026-11-20")
    assert titles(search(db, '"Da Nang"', dated)) == ["Đà Nẵng đón khách quốc tế"]  # 2026-11-21 left out


def test_index_follows_updates_and_deletes(db):
    db.execute("UPDATE articles SET title = 'Huế mùa lễ hội' WHERE url LIKE '%/clo/1.html'")
    assert titles(search(db, "Hue")) == ["Huế mùa lễ hội"]
    db.execute("UPDATE articles SET last_crawled = '2026-12-01T00:00:00+00:00'")  # not a text change
    assert titles(search(db, "Hue")) == ["Huế mùa lễ hội"]
    db.execute("DELETE FROM articles WHERE title = 'Huế mùa lễ hội'")
    assert search(db, "Hue") == []
    assert db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')") is not None


def test_snippets_highlight_the_matches(db):
    [result] = search(db, "mua lon")
    assert "[Mưa] [lớn]" in result["snippet"]
