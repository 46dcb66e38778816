"""crawler.migrations: versioned schema, applied on open, never dropping data."""

from __future__ import annotations

import contextlib
import sqlite3
import threading

import sqlite_utils

from crawler.migrations import MIGRATIONS, _initial_schema, latest_version, migrate, schema_version
from crawler.storage import open_database


def test_a_new_database_gets_every_migration_in_order(tmp_path):
    with open_database(tmp_path / "new.db") as db:
        assert schema_version(db) == latest_version() == len(MIGRATIONS)
        assert [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY version")] == [
            migration.name for migration in MIGRATIONS
        ]
        assert db.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        expected = {"articles", "failures", "articles_fts", "pages", "neardup_signatures", "neardup_bands"}
        assert expected <= set(db.table_names())
        assert "cluster_id" in db["articles"].columns_dict
        assert migrate(db) == []  # nothing left to do


def test_a_database_made_before_migrations_is_upgraded_with_its_rows(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    _initial_schema(old)  # what storage.py created before migrations existed: no schema_migrations table
    old["articles"].insert(
        {
            "outlet": "clo",
            "url": "https://congluan.vn/a-post1.html",
            "native_id": "post1",
            "title": "Tin Hà Nội",
            "lead": "(CLO) Mở đầu.",
            "body": "Thân bài.",
            "tags": "[]",
            "images": "[]",
            "text_hash": "h1",
            "extraction": "outlet",
            "first_seen": "2026-01-01T00:00:00+00:00",
            "last_crawled": "2026-01-01T00:00:00+00:00",
        }
    )
    old["failures"].insert(
        {
            "outlet": "clo",
            "url": "https://congluan.vn/x",
            "reason": "http_404",
            "first_seen": "2026-01-01",
            "last_seen": "2026-01-01",
            "attempts": 1,
        }
    )
    old.close()
    with open_database(path) as db:
        assert schema_version(db) == latest_version()
        [row] = db.query("SELECT title, first_seen FROM articles")
        assert row == {"title": "Tin Hà Nội", "first_seen": "2026-01-01T00:00:00+00:00"}
        assert db.execute("SELECT count(*) FROM failures").fetchone()[0] == 1
        # The existing row was indexed by the full-text migration.
        assert db.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'ha noi'").fetchall() == [(1,)]


def test_concurrent_opens_apply_each_migration_once(tmp_path):
    path = tmp_path / "race.db"
    errors: list[BaseException] = []

    def open_it():
        try:
            open_database(path).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == latest_version()


def test_a_failing_migration_rolls_back_all_of_its_call(tmp_path, monkeypatch):
    from crawler import migrations

    def broken(db):
        db["half_done"].create({"id": int}, pk="id")
        raise RuntimeError("boom")

    path = tmp_path / "db.db"
    open_database(path).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, migrations.Migration("broken", broken)])
    db = sqlite_utils.Database(path)
    with contextlib.suppress(RuntimeError):
        migrate(db)
    assert "half_done" not in db.table_names()
    assert schema_version(db) == len(migrations.MIGRATIONS) - 1


def test_an_intermediate_version_is_upgraded_with_its_rows(tmp_path):
    path = tmp_path / "v5.db"
    old = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:5]:  # a database written before the article_date migration
        migration.apply(old)
    old.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "applied_at TEXT NOT NULL)"
    )
    old["schema_migrations"].insert_all(
        {"version": n, "name": m.name, "applied_at": "2026-01-01"} for n, m in enumerate(MIGRATIONS[:5], 1)
    )
    old["articles"].insert(
        {
            "outlet": "antv",
            "url": "https://antv.gov.vn/a-1.html",
            "title": "Tin sáng",
            "lead": "(ANTV) - Sớm.",
            "body": "Thân bài.",
            "tags": "[]",
            "images": "[]",
            "text_hash": "h1",
            "extraction": "outlet",
            # Before 07:00 in Vietnam: the previous day in UTC, but the article's date is the Vietnam day.
            "published": "2026-11-14T05:30:00+07:00",
            "first_seen": "2026-11-14T00:00:00+00:00",
            "last_crawled": "2026-11-14T00:00:00+00:00",
        }
    )
    old["pages"].insert(
        {
            "url": "https://antv.gov.vn/a-1.html",
            "outlet": "antv",
            "fetched_at": "2026-11-14",
            "compression": "zlib",
            "html": b"x",
            "size": 1,
        }
    )
    old.close()
    with open_database(path) as db:
        assert schema_version(db) == latest_version()
        assert [row[0] for row in db.execute("SELECT name FROM schema_migrations WHERE version > 5")] == [
            migration.name for migration in MIGRATIONS[5:]
        ]
        [row] = db.query("SELECT title, published, article_date FROM articles")
        assert row == {"title": "Tin sáng", "published": "2026-11-14T05:30:00+07:00", "article_date": "2026-11-14"}
        assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 1
        # Undated: the UTC day first stored.
        db["articles"].update(1, {"published": None})
        assert db.execute("SELECT article_date FROM articles").fetchone()[0] == "2026-11-14"


def test_the_readme_documents_every_column_of_every_table(tmp_path):
    """The schema is documented field by field: every table has a subsection of the README's database section
    (its name in the heading) that names each of its columns, so a migration that adds one must document it."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    database_section = readme.split("\n## The database\n", 1)[1].split("\n## ", 1)[0]
    subsections = database_section.split("\n### ")[1:]
    undocumented = []
    with open_database(tmp_path / "new.db") as db:
        for table in db.table_names():
            if table.startswith("articles_fts"):  # FTS5's own shadow tables
                continue
            text = "".join(part for part in subsections if f"`{table}`" in part.split("\n", 1)[0])
            if not text:
                undocumented.append(table)
                continue
            undocumented += [
                f"{table}.{row[1]}" for row in db.execute(f"PRAGMA table_xinfo({table})") if f"`{row[1]}`" not in text
            ]
    assert not undocumented, f"not documented in the README's database section: {undocumented}"
