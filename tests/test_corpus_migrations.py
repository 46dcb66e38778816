"""crawler.migrations: versioned schema, applied on open, never dropping data."""

from __future__ import annotations

import sqlite3
import threading

import sqlite_utils

from crawler.migrations import MIGRATIONS, _initial_schema, latest_version, migrate, schema_version
from crawler.storage import open_database


def test_a_new_database_gets_every_migration_in_order(tmp_path):
    with open_database(tmp_path / "new.db") as db:
        assert schema_version(db) == latest_version() == len(MIGRATIONS)
        assert [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY version")] == [
            migration.name for migration in MIGRATIONS]
        assert db.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        assert {"articles", "failures", "articles_fts", "pages", "minhashes", "minhash_bands"} <= set(db.table_names())
        assert "cluster_id" in db["articles"].columns_dict
        assert migrate(db) == []  # nothing left to do


def test_a_database_made_before_migrations_is_upgraded_with_its_rows(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    _initial_schema(old)  # what storage.py created before migrations existed: no schema_migrations table
    old["articles"].insert({
        "outlet": "clo", "url": "https://congluan.vn/a-post1.html", "native_id": "post1", "title": "Tin Hà Nội",
        "lead": "(CLO) Mở đầu.", "body": "Thân bài.", "tags": "[]", "images": "[]", "text_hash": "h1",
        "extraction": "outlet", "first_seen": "2026-01-01T00:00:00+00:00", "last_crawled": "2026-01-01T00:00:00+00:00",
    })
    old["failures"].insert({"outlet": "clo", "url": "https://congluan.vn/x", "reason": "http_404",
                            "first_seen": "2026-01-01", "last_seen": "2026-01-01", "attempts": 1})
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
        except BaseException as error:  # noqa: BLE001
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
    try:
        migrate(db)
    except RuntimeError:
        pass
    assert "half_done" not in db.table_names()
    assert schema_version(db) == len(migrations.MIGRATIONS) - 1
