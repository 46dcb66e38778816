"""crawler.storage: schema, duplicate rules, and writes that never lose what is stored."""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest

from crawler.items import Article, Image, PageFailure
from crawler.storage import (
    TEXT_HASHES_REMEMBERED,
    article_row,
    identity_keys,
    known,
    open_database,
    record_failures,
    save_articles,
    text_hash,
    utc_timestamp,
)


def article(**fields) -> Article:
    values = {
        "outlet": "clo",
        "url": "https://congluan.vn/mot-bai-viet-post123456.html",
        "native_id": "post123456",
        "title": "Một bài viết",
        "lead": "(CLO) Phần mở đầu.",
        "body": "Đoạn một.\n\nĐoạn hai.",
        "fetched_at": "2026-01-14T03:00:00+00:00",
    }
    return Article(**{**values, **fields})


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "nested" / "dir" / "articles.db")
    yield database
    database.close()


def count(db, table: str = "articles") -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


# --- schema --------------------------------------------------------------------------------------------------------


def test_open_database_creates_directories_schema_and_wal(tmp_path):
    path = tmp_path / "a" / "b" / "articles.db"
    db = open_database(path)
    assert path.exists()
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert {"articles", "failures"} <= set(db.table_names())  # and the later migrations' tables
    assert {
        "id",
        "outlet",
        "url",
        "native_id",
        "title",
        "lead",
        "body",
        "author",
        "published",
        "category",
        "tags",
        "images",
        "text_hash",
        "extraction",
        "fetched_url",
        "first_seen",
        "last_crawled",
    } <= set(db["articles"].columns_dict)
    assert db["articles"].pks == ["id"]
    indexes = {index.name: index for index in db["articles"].indexes}
    assert indexes["articles_url"].unique and indexes["articles_url"].columns == ["url"]
    assert indexes["articles_outlet_native_id"].unique and indexes["articles_outlet_native_id"].partial
    assert indexes["articles_text_hash"].columns == ["text_hash"]
    assert indexes["articles_outlet_published"].columns == ["outlet", "published"]
    assert indexes["articles_published"].columns == ["published"]
    assert [index.columns for index in db["failures"].indexes if index.unique] == [["outlet", "url", "reason"]]
    db.close()


def test_open_database_is_idempotent_and_keeps_data(tmp_path):
    path = tmp_path / "articles.db"
    with open_database(path) as db:
        save_articles(db, [article()])
        schema = db.schema
    with open_database(path) as db:
        assert db.schema == schema
        assert count(db) == 1


def test_native_id_index_ignores_articles_without_id(db):
    first = article(url="https://kinhtedothi.vn/mot-bai-viet-dai.html", outlet="kinhtedothi", native_id=None)
    second = article(
        url="https://kinhtedothi.vn/bai-khac-hoan-toan.html", outlet="kinhtedothi", native_id=None, title="Bài khác"
    )
    assert save_articles(db, [first, second]) == (2, 0)


def test_database_constraints_reject_a_second_row_for_a_url(db):
    save_articles(db, [article()])
    with pytest.raises(sqlite3.IntegrityError):
        db["articles"].insert({**db["articles"].get(1), "id": None, "native_id": None, "text_hash": "other"})


# --- rows ----------------------------------------------------------------------------------------------------------


def test_saved_row_holds_every_field(db):
    saved = article(
        author="Hà An",
        published="2026-01-14T10:00:00+07:00",
        category="Thời sự",
        tags=["Hà Nội", "giao thông"],
        images=[Image("https://congluan.vn/a.jpg", "Chú thích"), Image("https://congluan.vn/b.jpg")],
        extraction="generic",
        fetched_url="https://www.congluan.vn/mot-bai-viet-post123456.html?utm_source=x",
    )
    save_articles(db, [saved])
    row = db["articles"].get(1)
    assert row["url"] == saved.url
    assert row["published"] == "2026-01-14T10:00:00+07:00"
    assert json.loads(row["tags"]) == ["Hà Nội", "giao thông"]
    assert json.loads(row["images"]) == [
        {"url": "https://congluan.vn/a.jpg", "caption": "Chú thích"},
        {"url": "https://congluan.vn/b.jpg", "caption": None},
    ]
    assert "Hà Nội" in row["tags"], "JSON keeps Vietnamese readable"
    assert row["text_hash"] == text_hash(saved.title, saved.lead, saved.body)
    assert row["extraction"] == "generic"
    assert row["fetched_url"] == saved.fetched_url
    assert row["first_seen"] == row["last_crawled"] == "2026-01-14T03:00:00+00:00"


def test_the_stored_row_is_article_row_column_for_column(db):
    # The store inserts with its own statement (insert_statement), built from article_row's keys.
    saved = article(author="Hà An", tags=["Hà Nội"], http_etag='"abc"', http_last_modified="Wed, 14 Jan 2026")
    save_articles(db, [saved])
    expected = article_row(saved, text_hash(saved.title, saved.lead, saved.body), utc_timestamp(saved.fetched_at))
    stored = db["articles"].get(1)
    assert {column: stored[column] for column in expected} == expected


def test_utc_timestamp_normalises_offsets_and_defaults_to_now():
    assert utc_timestamp("2026-01-14T10:00:00.123456+07:00") == "2026-01-14T03:00:00+00:00"
    assert utc_timestamp("2026-01-14T03:00:00Z") == "2026-01-14T03:00:00+00:00"
    assert utc_timestamp("2026-01-14T03:00:00") == "2026-01-14T03:00:00+00:00"
    assert utc_timestamp().endswith("+00:00")


# --- text hash and identity ----------------------------------------------------------------------------------------


def test_text_hash_ignores_unicode_form_case_and_spacing():
    composed = text_hash("Hà Nội", "Mở đầu", "Thân bài")
    decomposed = text_hash("Ha\u0300 Nô\u0323i", "Mở   đầu ", "THÂN\n\nBÀI")
    assert composed == decomposed
    assert len(composed) == 64


def test_text_hash_keeps_field_boundaries():
    assert text_hash("a", "b c", "d") != text_hash("a b", "c", "d")


def test_remembered_text_hashes_are_each_texts_own():
    # More texts than text_hash remembers, each asked twice, the second time with equal but distinct strings.
    texts = [(f"Tiêu đề {i}", "", f"Thân bài {i}") for i in range(TEXT_HASHES_REMEMBERED + 50)]
    first = [text_hash(*text) for text in texts]
    again = [text_hash(*("".join(part) for part in text)) for text in texts]
    computed = [text_hash.__wrapped__(*text) for text in texts]
    assert first == again == computed
    assert len(set(first)) == len(texts)


def test_identity_keys():
    keys = identity_keys(article())
    assert [key[0] for key in keys] == ["url", "native_id", "text_hash"]
    assert ("native_id", "clo", "post123456") in keys
    assert [key[0] for key in identity_keys(article(native_id=None))] == ["url", "text_hash"]


def test_known_finds_by_each_key(db):
    stored = article()
    save_articles(db, [stored])
    stored_hash = text_hash(stored.title, stored.lead, stored.body)
    assert known(db, "clo", url=stored.url) == 1
    assert known(db, "clo", native_id="post123456") == 1
    assert known(db, "antv", native_id="post123456") is None, "native ids belong to their outlet"
    assert known(db, "clo", text_hash=stored_hash) == 1
    assert known(db, "clo", url="https://congluan.vn/khac-post1.html", native_id="post1", text_hash="x") is None
    assert known(db, "clo") is None


# --- deduplication -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "duplicate",
    [
        pytest.param({"native_id": "post999999"}, id="same url"),
        pytest.param({"url": "https://congluan.vn/tieu-de-doi-post123456.html"}, id="same native id"),
        pytest.param(
            {"url": "https://congluan.vn/ban-sao-post777777.html", "native_id": "post777777", "title": "MỘT  BÀI VIẾT"},
            id="same text",
        ),
    ],
)
def test_a_duplicate_adds_no_row_and_keeps_the_first(db, duplicate):
    first = article()
    assert save_articles(db, [first]) == (1, 0)
    later = article(**duplicate, fetched_at="2026-02-01T00:00:00+00:00")
    assert save_articles(db, [later]) == (0, 1)
    [row] = db["articles"].rows
    assert row["url"] == first.url and row["title"] == first.title
    assert row["first_seen"] == "2026-01-14T03:00:00+00:00"
    assert row["last_crawled"] == "2026-02-01T00:00:00+00:00"


@pytest.mark.parametrize(
    "edited",
    [
        pytest.param({"title": "Tiêu đề mới"}, id="same url"),
        pytest.param(
            {"url": "https://congluan.vn/tieu-de-doi-post123456.html", "body": "Thân bài đã sửa."}, id="same native id"
        ),
    ],
)
def test_a_changed_text_updates_the_row_and_keeps_the_previous_version(db, edited):
    first = article()
    save_articles(db, [first])
    counts = save_articles(db, [article(**edited, fetched_at="2026-02-01T00:00:00+00:00")])
    assert counts == (0, 0) and counts.updated == 1
    [row] = db["articles"].rows
    assert row["url"] == first.url, "the canonical URL of the row is kept"
    assert (row["title"], row["body"]) == (edited.get("title", first.title), edited.get("body", first.body))
    assert row["first_seen"] == "2026-01-14T03:00:00+00:00"
    assert row["updated"] == row["last_crawled"] == "2026-02-01T00:00:00+00:00"
    [version] = db["article_versions"].rows
    assert (version["article_id"], version["version"], version["title"], version["body"]) == (
        row["id"],
        1,
        first.title,
        first.body,
    )
    assert version["text_hash"] == text_hash(first.title, first.lead, first.body)
    # The same new text again is a re-crawl, not another version.
    assert save_articles(db, [article(**edited)]).updated == 0
    assert db["article_versions"].count == 1


def test_duplicates_inside_one_batch_add_one_row(db):
    assert save_articles(db, [article(), article(url="https://congluan.vn/x-post123456.html")]) == (1, 1)
    assert count(db) == 1


def test_resaving_keeps_first_seen_and_never_moves_last_crawled_back(db):
    save_articles(db, [article(fetched_at="2026-01-14T03:00:00+00:00")])
    save_articles(db, [article(fetched_at="2026-03-01T00:00:00+00:00")])
    save_articles(db, [article(fetched_at="2026-02-01T00:00:00+00:00")])
    row = db["articles"].get(1)
    assert count(db) == 1
    assert row["first_seen"] == "2026-01-14T03:00:00+00:00"
    assert row["last_crawled"] == "2026-03-01T00:00:00+00:00"


def test_a_failing_batch_writes_nothing(db):
    broken = article(
        url="https://congluan.vn/hong-post222222.html", native_id="post222222", title="Khác", extraction=None
    )
    with pytest.raises(sqlite3.IntegrityError):
        save_articles(db, [article(), broken])
    assert count(db) == 0
    assert not db.conn.in_transaction
    assert save_articles(db, [article()]) == (1, 0)


def test_two_connections_see_each_others_articles(tmp_path):
    path = tmp_path / "articles.db"
    with open_database(path) as first, open_database(path) as second:
        save_articles(first, [article()])
        assert save_articles(second, [article()]) == (0, 1)


# --- failures ------------------------------------------------------------------------------------------------------


def test_failures_are_upserted_per_outlet_url_and_reason(db):
    url = "https://antv.gov.vn/chinh-tri-2/bai-viet-ABCDEF123.html"
    record_failures(db, [PageFailure("antv", url, "http_503", "Service Unavailable", 503, "2026-01-14T03:00:00Z")])
    record_failures(
        db,
        [
            PageFailure("antv", url, "http_503", "still down", 503, "2026-01-15T03:00:00Z"),
            PageFailure("antv", url, "not_article", "no title", 200, "2026-01-15T03:00:00Z"),
        ],
    )
    rows = {row["reason"]: row for row in db["failures"].rows}
    assert set(rows) == {"http_503", "not_article"}
    assert rows["http_503"]["attempts"] == 2
    assert rows["http_503"]["first_seen"] == "2026-01-14T03:00:00+00:00"
    assert rows["http_503"]["last_seen"] == "2026-01-15T03:00:00+00:00"
    assert rows["http_503"]["detail"] == "still down"
    assert rows["not_article"]["attempts"] == 1 and rows["not_article"]["status"] == 200


def test_concurrent_writers_agree_on_one_row_per_article(tmp_path):
    """Four crawler processes write to one database at once (one `scrapy crawl` per outlet): overlapping batches
    from four connections, each creating the database if needed, neither fail on locks nor store an article
    twice."""
    path = tmp_path / "articles.db"
    batches = [
        [
            article(url=f"https://congluan.vn/bai-{n}-post{n:06d}.html", native_id=f"post{n:06d}", title=f"Bài {n}")
            for n in range(start, start + 5)
        ]
        for start in range(0, 40, 5)
    ]
    results = []

    def write(worker: int) -> None:
        with open_database(path) as db:
            # Every worker writes every batch, each starting elsewhere, so that they collide.
            for batch in batches[worker:] + batches[:worker]:
                results.append(save_articles(db, batch))

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 * len(batches)
    assert sum(new for new, _ in results) == 40
    with open_database(path) as db:
        assert count(db) == 40
