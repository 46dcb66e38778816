"""The corpus schema as an append-only, ordered list of migrations, applied when a database is opened.

The schema version of a database is the number of migrations applied to it. It is recorded in the
``schema_migrations`` table (one row per applied migration: ``version``, ``name``, ``applied_at``), which is the
source of truth, and mirrored in ``PRAGMA user_version`` for tools that only look there.
:func:`crawler.storage.open_database` calls :func:`migrate`, so opening an older database (including one made
before migrations existed) brings it up to date; a new database is built by running every migration in order.

Rules:

* **Append only.** Never edit, reorder or remove a migration that has been merged: databases in the field have
  recorded it as applied and will not run it again. Fix a mistake with a new migration.
* **Never drop data.** Add tables, columns, indexes and triggers; backfill with UPDATE. Do not DROP a table or
  column that holds data, and do not rewrite rows in a way that loses what they said.
* **Idempotent-safe.** Write each migration so that it also succeeds on a database where its objects already exist
  (``if_not_exists=True``, ``CREATE ... IF NOT EXISTS``, check ``table.columns_dict`` before ``add_column``):
  databases created before this module existed already had migration 1's schema.
* **Never downgrade.** A database whose schema is newer than this code's (its ``schema_migrations`` or its
  ``user_version`` beyond :func:`latest_version`) was written by a newer crawler: :func:`schema_problem` says so,
  and :func:`crawler.storage.open_database` refuses it before anything is written, as it refuses another
  application's database.
* **Small and in one transaction.** :func:`migrate` runs all pending migrations inside one ``BEGIN IMMEDIATE``
  transaction, so concurrent crawler processes opening the same database apply them exactly once and a failed
  migration leaves the database as it was. Do not COMMIT inside a migration; ``db.executescript`` is made safe
  (see :func:`_statements_in_transaction`).

Adding a migration::

    def _add_widgets(db: sqlite_utils.Database) -> None:
        db["widgets"].create({"id": int, "name": str}, pk="id", if_not_exists=True)

    MIGRATIONS.append(Migration("add_widgets", _add_widgets))   # or add it at the end of the list literal

and document the new table or columns in the README's schema section; a new ``articles`` column is also stated in
:data:`crawler.schema.ARTICLE_COLUMNS` (``tests/test_schema.py`` checks the migrated table against it). Tests
(``tests/test_corpus_migrations.py``) check that an empty database, one made before migrations existed and one
at an intermediate version all reach the latest version with their rows intact, and that the README names every
column of every table.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils

from crawler.storage import UnusableDatabase


@dataclass(frozen=True)
class Migration:
    name: str
    """Unique, stable name (snake_case); recorded in ``schema_migrations``."""
    apply: Callable[[sqlite_utils.Database], None]


# --- the migrations, oldest first -----------------------------------------------------------------------------------


def _initial_schema(db: sqlite_utils.Database) -> None:
    """Version 1: ``articles`` and ``failures`` as they were before migrations existed."""
    db.table("articles").create(
        {
            "id": int,
            "outlet": str,
            "url": str,
            "native_id": str,
            "title": str,
            "lead": str,
            "body": str,
            "author": str,
            "published": str,
            "category": str,
            "tags": str,
            "images": str,
            "text_hash": str,
            "extraction": str,
            "fetched_url": str,
            "first_seen": str,
            "last_crawled": str,
        },
        pk="id",
        not_null={
            "outlet",
            "url",
            "title",
            "lead",
            "body",
            "tags",
            "images",
            "text_hash",
            "extraction",
            "first_seen",
            "last_crawled",
        },
        if_not_exists=True,
    )
    articles = db.table("articles")
    articles.create_index(["url"], index_name="articles_url", unique=True, if_not_exists=True)
    # Partial: URL forms without an id (Kinhtedothi 2022-2025) leave native_id NULL, and NULLs are no key.
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS articles_outlet_native_id ON articles (outlet, native_id) "
        "WHERE native_id IS NOT NULL"
    )
    articles.create_index(["text_hash"], index_name="articles_text_hash", if_not_exists=True)
    articles.create_index(["outlet", "published"], index_name="articles_outlet_published", if_not_exists=True)
    articles.create_index(["published"], index_name="articles_published", if_not_exists=True)

    db.table("failures").create(
        {
            "id": int,
            "outlet": str,
            "url": str,
            "reason": str,
            "detail": str,
            "status": int,
            "first_seen": str,
            "last_seen": str,
            "attempts": int,
        },
        pk="id",
        not_null={"outlet", "url", "reason", "first_seen", "last_seen", "attempts"},
        if_not_exists=True,
    )
    db.table("failures").create_index(
        ["outlet", "url", "reason"], index_name="failures_outlet_url_reason", unique=True, if_not_exists=True
    )


#: Tokenizer of the full-text index: case and diacritics folded ("Hà Nội" is indexed as "ha noi"). "đ" has no
#: Unicode decomposition, so it stays "đ"; crawler.corpus.search expands d <-> đ in queries.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
FTS_COLUMNS = ["title", "lead", "body"]


def _full_text_search(db: sqlite_utils.Database) -> None:
    """Version 2: ``articles_fts`` (FTS5, external content on ``articles``), kept in sync by sqlite-utils'
    triggers ``articles_ai``, ``articles_ad``, ``articles_au`` (the last narrowed to updates of the indexed
    columns); existing rows are indexed."""
    db.table("articles").enable_fts(FTS_COLUMNS, fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE)
    # sqlite-utils' update trigger fires on any column; every re-crawl moves last_crawled, and re-indexing the text
    # each time would cost as much as indexing it. Same trigger, same name, limited to the indexed columns.
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute(
        "CREATE TRIGGER articles_au AFTER UPDATE OF title, lead, body ON articles BEGIN "
        "INSERT INTO articles_fts (articles_fts, rowid, title, lead, body) "
        "VALUES ('delete', old.rowid, old.title, old.lead, old.body); "
        "INSERT INTO articles_fts (rowid, title, lead, body) VALUES (new.rowid, new.title, new.lead, new.body); END"
    )


def _raw_pages(db: sqlite_utils.Database) -> None:
    """Version 3: ``pages``, the compressed raw HTML of each article page, keyed by the article's canonical URL."""
    db.table("pages").create(
        {
            "url": str,
            "outlet": str,
            "fetched_url": str,
            "fetched_at": str,
            "compression": str,
            "html": bytes,
            "size": int,
        },
        pk="url",
        not_null={"outlet", "fetched_at", "compression", "html", "size"},
        if_not_exists=True,
    )


def _near_duplicates(db: sqlite_utils.Database) -> None:
    """Version 4: near-duplicate clusters. ``articles.cluster_id`` (the id of the cluster's first article, NULL
    when the article has no near-duplicate), ``minhashes`` (one MinHash signature per article) and
    ``minhash_bands`` (its LSH band hashes, to find candidates with an index lookup)."""
    if "cluster_id" not in db["articles"].columns_dict:
        db.table("articles").add_column("cluster_id", int)
    db.table("articles").create_index(["cluster_id"], index_name="articles_cluster_id", if_not_exists=True)
    db.table("minhashes").create(
        {"article_id": int, "signature": bytes, "text_hash": str},
        pk="article_id",
        not_null={"signature", "text_hash"},
        if_not_exists=True,
    )
    db.table("minhash_bands").create(
        {"band": int, "hash": str, "article_id": int},
        pk=("band", "hash", "article_id"),
        if_not_exists=True,
    )
    db.table("minhash_bands").create_index(["article_id"], index_name="minhash_bands_article_id", if_not_exists=True)


def _incremental_crawling(db: sqlite_utils.Database) -> None:
    """Version 5: incremental and scheduled crawling (crawler/incremental.py, crawler/runs.py).

    ``articles.http_etag`` / ``articles.http_last_modified`` (validators of the stored page, for conditional
    re-checks) and ``articles.updated`` (UTC time the stored text last changed; NULL when never);
    ``article_versions`` (the previous texts of updated articles); ``crawl_runs`` (one row per outlet and run)."""
    columns = db["articles"].columns_dict
    for column in ("http_etag", "http_last_modified", "updated"):
        if column not in columns:
            db.table("articles").add_column(column, str)
    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "url": str,
            "title": str,
            "lead": str,
            "body": str,
            "author": str,
            "published": str,
            "category": str,
            "tags": str,
            "images": str,
            "text_hash": str,
            "extraction": str,
            "first_seen": str,
            "replaced": str,
        },
        pk="id",
        not_null={"article_id", "version", "url", "title", "lead", "body", "text_hash", "first_seen", "replaced"},
        if_not_exists=True,
    )
    db.table("article_versions").create_index(
        ["article_id", "version"], index_name="article_versions_article_version", unique=True, if_not_exists=True
    )
    db.table("crawl_runs").create(
        {
            "id": int,
            "batch": str,
            "outlet": str,
            "mode": str,
            "arguments": str,
            "pid": int,
            "started": str,
            "finished": str,
            "status": str,
            "finish_reason": str,
            "requests": int,
            "new": int,
            "updated": int,
            "skipped": int,
            "failed": int,
            "stats": str,
        },
        pk="id",
        not_null={"outlet", "mode", "started", "status"},
        if_not_exists=True,
    )
    db.table("crawl_runs").create_index(
        ["outlet", "started"], index_name="crawl_runs_outlet_started", if_not_exists=True
    )
    db.table("crawl_runs").create_index(["batch"], index_name="crawl_runs_batch", if_not_exists=True)


def _article_date(db: sqlite_utils.Database) -> None:
    """Version 6: ``articles.article_date``, the article's date as the corpus commands filter and group by it: the
    publication day in Vietnam time (the date part of ``published``, which carries the +07:00 offset), else the
    UTC day it was first stored. Kept by the triggers ``articles_article_date_ai`` / ``_au`` (writers never set
    it), and indexed with ``id`` so that date filters, per-day counts and the export's date order read an index.

    SQL's ``date(published)`` converts to UTC and moves every article published before 07:00 in Vietnam to the
    previous day; Datasette's date facet does exactly that, hence a column to facet on. A plain column, not a
    generated one: a row read with ``SELECT *`` can then be inserted elsewhere as is (a generated column refuses
    values)."""
    if "article_date" not in db["articles"].columns_dict:
        db.table("articles").add_column("article_date", str)
    for trigger, event in (
        ("articles_article_date_ai", "INSERT"),
        ("articles_article_date_au", "UPDATE OF published, first_seen"),
    ):
        db.execute(
            f"CREATE TRIGGER IF NOT EXISTS {trigger} AFTER {event} ON articles BEGIN "
            "UPDATE articles SET article_date = substr(coalesce(new.published, new.first_seen), 1, 10) "
            "WHERE id = new.id; END"
        )
    db.execute("UPDATE articles SET published = published")  # the existing rows, through the update trigger
    db.execute("CREATE INDEX IF NOT EXISTS articles_article_date ON articles (article_date, id)")


def _crawl_run_status_reason(db: sqlite_utils.Database) -> None:
    """Version 7: ``crawl_runs.status_reason``, why a run's status is not ``ok``, in one line (``failed``: no
    successful response, discovery failed, errors ...; NULL when ``ok``)."""
    if "status_reason" not in db["crawl_runs"].columns_dict:
        db.table("crawl_runs").add_column("status_reason", str)


def _page_response(db: sqlite_utils.Database) -> None:
    """``pages.http_status`` and ``pages.http_headers`` (JSON object of the response headers the archive keeps:
    ``crawler.corpus.pages.ARCHIVED_HEADERS``), for the WARC export; NULL on pages archived before."""
    columns = db["pages"].columns_dict
    if "http_status" not in columns:
        db.table("pages").add_column("http_status", int)
    if "http_headers" not in columns:
        db.table("pages").add_column("http_headers", str)


def _extractor_version(db: sqlite_utils.Database) -> None:
    """``failures.extractor_version``: the extractor version (``crawler.extraction.EXTRACTOR_VERSION``) that judged
    a ``not_article`` or ``parse_error`` page. NULL for other reasons, and for rows written before: judged by an
    older extractor, so examined again."""
    if "extractor_version" not in db["failures"].columns_dict:
        db.table("failures").add_column("extractor_version", int)


def _compact_near_duplicate_signatures(db: sqlite_utils.Database) -> None:
    """Version 10: near-duplicate signatures in under 1 KB per article (they were 3.5 KB, a quarter of the database).

    ``neardup_signatures``: ``article_id`` (primary key), ``signature`` (blob, the low byte of each of 160 MinHash
    values), ``band_keys`` (blob, the article's 32 LSH band keys, to remove them when its text changes) and
    ``text_hash`` (the first 16 hex digits of the ``articles.text_hash`` it was computed from). ``neardup_bands``:
    ``(key, article_id)``, a WITHOUT ROWID primary key, so finding the articles sharing a band is one index
    lookup and the table is its own index (``minhash_bands`` was a table, its primary key index and an
    ``article_id`` index).

    The old tables held only values derived from the articles' text, which a different MinHash (rensa, see
    crawler/corpus/neardup.py) cannot reuse: every article they signed is signed again here and they are dropped.
    The clusters (``articles.cluster_id``) stay as they are; articles the old tables had not signed (or whose text
    changed since) are left unsigned, so the next ``dedupe-near`` or crawl signs and links them. (Written for the
    tables as this version has them: later migrations change them.)"""
    from crawler.corpus.neardup import TEXT_HASH_DIGITS, pack_band_keys, signed

    db.execute(
        "CREATE TABLE IF NOT EXISTS neardup_signatures (article_id INTEGER PRIMARY KEY, signature BLOB NOT NULL, "
        "band_keys BLOB NOT NULL, text_hash TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS neardup_bands (key INTEGER NOT NULL, article_id INTEGER NOT NULL, "
        "PRIMARY KEY (key, article_id)) WITHOUT ROWID"
    )
    if "minhashes" in db.table_names():
        up_to_date = db.execute(
            "SELECT a.id, a.title, a.lead, a.body, a.text_hash FROM articles a JOIN minhashes m ON m.article_id = a.id "
            "AND m.text_hash = a.text_hash ORDER BY a.id"
        )
        for article_id, title, lead, body, text_hash in up_to_date:  # one row at a time: the corpus may be large
            sig, keys = signed(title, lead, body)
            db.execute(
                "INSERT INTO neardup_signatures (article_id, signature, band_keys, text_hash) VALUES (?, ?, ?, ?)",
                [article_id, sig, pack_band_keys(keys), text_hash[:TEXT_HASH_DIGITS]],
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO neardup_bands (key, article_id) VALUES (?, ?)", [(k, article_id) for k in keys]
            )
    db.execute("DROP TABLE IF EXISTS minhash_bands")
    db.execute("DROP TABLE IF EXISTS minhashes")


def _crawl_run_health(db: sqlite_utils.Database) -> None:
    """Version 11: ``crawl_runs.health``, JSON of what the run's stats say of the fit of the outlet's rules
    (``crawler.runs.run_health``: per discovery channel the pages fetched and failed and the article links found,
    per extraction field the share of article pages where the outlet's selectors matched); NULL on older rows."""
    if "health" not in db.table("crawl_runs").columns_dict:
        db.table("crawl_runs").add_column("health", str)


def _near_duplicate_window(db: sqlite_utils.Database) -> None:
    """Version 12: near-duplicates are looked for among articles published within ``WINDOW_DAYS`` of each other
    (crawler/corpus/neardup.py), so the bands carry their article's publication day: ``neardup_bands`` becomes
    ``(key, day, article_id)`` (WITHOUT ROWID primary key: a lookup is a range of days per band) and
    ``neardup_signatures.day`` keeps the day the bands were stored under (to remove them when the text changes).
    The day is the article's as stored (``publication_day`` of ``articles.published``, ``UNDATED`` without one);
    the signatures and clusters stay as they are, but for the signatures and bands of articles deleted by another
    tool (they would not get a day), which go."""
    from crawler.corpus.neardup import UNDATED, define_publication_day

    define_publication_day(db)
    for table in ("neardup_bands", "neardup_signatures"):
        db.execute(f"DELETE FROM {table} WHERE article_id NOT IN (SELECT id FROM articles)")
    if "day" not in db["neardup_signatures"].columns_dict:
        db.execute(f"ALTER TABLE neardup_signatures ADD COLUMN day INTEGER NOT NULL DEFAULT {UNDATED}")
    db.execute(
        "UPDATE neardup_signatures SET day = (SELECT publication_day(published) FROM articles "
        "WHERE articles.id = neardup_signatures.article_id)"
    )
    db.execute(
        "CREATE TABLE neardup_bands_by_day (key INTEGER NOT NULL, day INTEGER NOT NULL, article_id INTEGER NOT NULL, "
        "PRIMARY KEY (key, day, article_id)) WITHOUT ROWID"
    )
    db.execute(
        "INSERT INTO neardup_bands_by_day (key, day, article_id) SELECT b.key, s.day, b.article_id "
        "FROM neardup_bands b JOIN neardup_signatures s ON s.article_id = b.article_id"
    )
    db.execute("DROP TABLE neardup_bands")
    db.execute("ALTER TABLE neardup_bands_by_day RENAME TO neardup_bands")


#: Every migration, oldest first. Append only (see the module docstring).
MIGRATIONS: list[Migration] = [
    Migration("initial_schema", _initial_schema),
    Migration("full_text_search", _full_text_search),
    Migration("raw_pages", _raw_pages),
    Migration("near_duplicates", _near_duplicates),
    Migration("incremental_crawling", _incremental_crawling),
    Migration("article_date", _article_date),
    Migration("crawl_run_status_reason", _crawl_run_status_reason),
    Migration("page_response", _page_response),
    Migration("extractor_version", _extractor_version),
    Migration("compact_near_duplicate_signatures", _compact_near_duplicate_signatures),
    Migration("crawl_run_health", _crawl_run_health),
    Migration("near_duplicate_window", _near_duplicate_window),
]


# --- running them ---------------------------------------------------------------------------------------------------


def latest_version() -> int:
    return len(MIGRATIONS)


# What marks a database as ours: the migrations table as migrate() makes it, or (made before migrations existed)
# the articles table of the initial schema.
_OUR_TABLES = {"schema_migrations": {"version", "name", "applied_at"}, "articles": {"url", "outlet", "text_hash"}}


def schema_problem(db: sqlite_utils.Database) -> str | None:
    """Why this code must not open ``db`` (one line), or None when it may: another application's database (tables,
    none of them ours), or a schema newer than this code's (migrating would downgrade it, writing would write
    rows a newer schema may not accept). Reads only."""
    tables = set(db.table_names())
    ours = any(name in tables and columns <= set(db[name].columns_dict) for name, columns in _OUR_TABLES.items())
    if tables and not ours:
        return "not a vn-news-crawler database (it has tables, none of them ours)"
    version = max(schema_version(db), db.execute("PRAGMA user_version").fetchone()[0])
    if version > latest_version():
        return (
            f"schema version {version} is newer than this code's ({latest_version()}): written by a newer "
            f"vn-news-crawler, upgrade to use it"
        )
    return None


def schema_version(db: sqlite_utils.Database) -> int:
    """How many migrations ``db`` has applied (0 for a new database or one made before migrations existed)."""
    if "schema_migrations" not in db.table_names():
        return 0
    return db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the pending migrations to ``db`` in one write transaction; return their names (empty when none).

    Safe to call from several processes at once: the first takes the write lock and migrates, the others wait
    for it and then find nothing to do. A migration that raises rolls back every migration of this call."""
    if schema_version(db) == latest_version():  # fast path: no write lock when there is nothing to do
        return []
    applied: list[str] = []
    db.execute("BEGIN IMMEDIATE")
    try:
        with _statements_in_transaction(db):
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL "
                "UNIQUE, applied_at TEXT NOT NULL)"
            )
            current = schema_version(db)
            if current > latest_version():  # upgraded by a newer crawler since the caller checked: never downgrade
                raise UnusableDatabase(schema_problem(db))
            for version, migration in enumerate(MIGRATIONS[current:], start=current + 1):
                migration.apply(db)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")],
                )
                applied.append(migration.name)
            db.execute(f"PRAGMA user_version = {latest_version()}")
        db.commit()
    except BaseException:
        db.rollback()
        raise
    return applied


@contextlib.contextmanager
def _statements_in_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """Make ``db.executescript`` run its statements one by one in the current transaction.

    sqlite3's ``executescript`` COMMITs first, which would release the write lock half way through the migrations
    (sqlite-utils uses it in ``enable_fts``). Statements are split with :func:`sqlite3.complete_statement`, which
    understands trigger bodies."""

    def executescript(sql: str) -> None:
        statement = ""
        for piece in sql.split(";"):
            statement += piece + ";"
            if sqlite3.complete_statement(statement):
                if statement.strip(" \t\n;"):
                    db.execute(statement)
                statement = ""
        if statement.strip(" \t\n;"):
            db.execute(statement)

    # An instance attribute shadows the method, for the migrations only (deleted below); its result is unused.
    db.executescript = executescript  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        del db.executescript
