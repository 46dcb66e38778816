"""The ``articles`` schema is stated once (crawler/schema.py): the migrations create exactly that table, and the
export, the store and the Datasette metadata read their column lists from the statement."""

from __future__ import annotations

import csv
import io
import json

import sqlite_utils

from crawler.cli import main
from crawler.datasette.metadata import PATH as METADATA_PATH
from crawler.datasette.metadata import metadata_json
from crawler.items import Article, Image
from crawler.migrations import FTS_COLUMNS, _initial_schema
from crawler.schema import ARTICLE_COLUMNS, VERSIONED_COLUMNS, Part
from crawler.storage import article_row, open_database, save_articles

ARTICLE_COLUMN_NAMES = [column.name for column in ARTICLE_COLUMNS]
TEXT_COLUMNS = [column.name for column in ARTICLE_COLUMNS if column.part is Part.TEXT]


def _table_info(db: sqlite_utils.Database, table: str) -> list[tuple[str, str]]:
    return [(row[1], row[2]) for row in db.execute(f"PRAGMA table_info({table})")]


def test_the_migrations_create_the_stated_articles_table(tmp_path):
    stated = [(column.name, column.sql_type) for column in ARTICLE_COLUMNS]
    with open_database(tmp_path / "new.db") as db:
        assert _table_info(db, "articles") == stated
    # A database made before migrations existed reaches the same table.
    old = sqlite_utils.Database(tmp_path / "old.db")
    _initial_schema(old)
    old.close()
    with open_database(tmp_path / "old.db") as db:
        assert _table_info(db, "articles") == stated


def test_the_store_writes_and_versions_stated_columns(tmp_path):
    article = Article(
        outlet="clo",
        url="https://congluan.vn/a-post1.html",
        title="Tin",
        lead="Mở đầu.",
        body="Thân bài.",
        images=[Image("https://congluan.vn/a.jpg", None)],
    )
    assert set(article_row(article, "hash", "2026-01-01T00:00:00+00:00")) <= set(ARTICLE_COLUMN_NAMES)
    assert set(FTS_COLUMNS) == set(TEXT_COLUMNS) <= set(VERSIONED_COLUMNS)  # the full-text index covers the text
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, [article])
        versions = {row[1] for row in db.execute("PRAGMA table_info(article_versions)")}
        assert set(VERSIONED_COLUMNS) <= versions  # an update can keep each of them


def test_export_has_every_column_of_the_table(tmp_path, capsys):
    path = tmp_path / "articles.db"
    with open_database(path) as db:
        save_articles(db, [Article(outlet="tgvn", url="https://baoquocte.vn/a-1.html", title="T", lead="L", body="B")])
        columns = [name for name, _ in _table_info(db, "articles")]
    assert main(["export", "--db", str(path), "--format", "csv"]) == 0
    header, row = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header == columns and row[columns.index("title")] == "T"


def test_the_committed_datasette_metadata_is_the_generated_one():
    """crawler/datasette/metadata.json is generated (python -m crawler.datasette.metadata): regenerate it after
    changing the schema or the generator."""
    assert METADATA_PATH.read_text(encoding="utf-8") == metadata_json()
    notes = json.loads(metadata_json())["databases"]["articles"]["tables"]["articles"]["columns"]
    assert list(notes) == [name for name in ARTICLE_COLUMN_NAMES if name != "id"]
