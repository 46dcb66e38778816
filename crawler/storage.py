"""The SQLite corpus: opening it (to write: :func:`open_database`; to read only: :func:`read_database`), duplicate
lookups and batched writes, through sqlite-utils.

The writes here: ``articles`` (one row per article, whatever URL, host variant or re-crawl reached it; a changed
text keeps the previous one in ``article_versions``) and ``failures`` (one row per outlet, URL and reason a page did
not become an article), with the archived pages of a batch (``pages``, :mod:`crawler.corpus.pages`) in the same
transaction. ``crawl_runs`` is written by :mod:`crawler.runs`, the near-duplicate tables by
:mod:`crawler.corpus.neardup`. The README documents every table and column. The schema is the ordered list of
migrations in :mod:`crawler.migrations`, applied by :func:`open_database`, so a new database and an older one are
opened the same way and end up with the same schema (the ``articles`` columns are stated in :mod:`crawler.schema`).

Writes never lose what is stored: an article already known by its canonical URL, its ``(outlet, native_id)`` or
the hash of its text adds no row and keeps its ``first_seen``; only ``last_crawled`` moves. Several crawler
processes may write to one database at once (one ``scrapy crawl`` per outlet), so every write batch is one
``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import sqlite3
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from crawler.items import EXTRACTOR_JUDGED, Article, PageFailure
from crawler.schema import VERSIONED_COLUMNS

if TYPE_CHECKING:
    from crawler.corpus.pages import PageRow

#: How long a writer waits for another process's write transaction before giving up with "database is locked".
#: Batches are small, so a few seconds is plenty; a minute rides out a slow disk without failing a crawl.
BUSY_TIMEOUT_MS = 60_000


#: Text hashes :func:`text_hash` remembers: more than a store batch (``STORE_BATCH_SIZE``, 100), the articles
#: between the dedupe pipeline's question and the store's.
TEXT_HASHES_REMEMBERED = 256

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: What to do about an unusable database, the end of every such message.
USE_ANOTHER = "pass --db (or -s DATABASE_PATH=) with another file"


class UnusableDatabase(sqlite3.DatabaseError):
    """The file at a database path is not one this code may open: a directory, not SQLite, another application's
    database, one written by a newer version of the crawler, or one that cannot be created or written. ``str()``
    is one line naming the path, the cause and what to do; the file is untouched."""

    @classmethod
    def because(cls, path: Path, error: Exception) -> UnusableDatabase:
        """The refusal of ``path`` that ``error`` (from the OS or SQLite) means."""
        if isinstance(error, OSError):
            problem = f"cannot be created ({error.filename}: {error.strerror})"
        elif "not a database" in str(error):
            problem = f"is not an SQLite database ({error})"
        elif "unable to open" in str(error):
            problem = "cannot be opened or created (is its directory writable?)"
        else:
            problem = f"cannot be used ({error})"
        return cls(f"database {path} {problem}: {USE_ANOTHER}")


def is_sqlite_file(path: str | Path) -> bool:
    """True when ``path`` is a file that starts as every SQLite database does. Never call it on a database this
    process has open: closing the file drops the process's SQLite locks on it."""
    try:
        with open(path, "rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating it and its parent directories if needed) the database at ``path``, in WAL mode so readers
    never block the crawler, with the schema in place. Raises :class:`UnusableDatabase`, having written nothing,
    for a directory, a file that is not SQLite, another application's database, one newer than this code, or a
    place where no database can be created."""
    path = Path(path)
    if path.is_dir():
        raise UnusableDatabase(f"database {path} is a directory, not a database file: {USE_ANOTHER}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
    except (OSError, sqlite3.DatabaseError) as error:
        raise UnusableDatabase.because(path, error) from error
    from crawler.migrations import migrate, schema_problem  # the schema: crawler/migrations.py

    try:
        # Set before anything else: even switching to WAL needs a lock another process may hold.
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Before the first write (WAL mode is one). SQLite itself tells a file that is not a database: reading the
        # header here with open() and close() would drop every lock this process's other connections hold on the
        # file (POSIX advisory locks are per process), which corrupts it under concurrent writers.
        problem = schema_problem(db)
    except sqlite3.DatabaseError as error:  # "file is not a database", or damaged behind a valid header
        db.close()
        raise UnusableDatabase.because(path, error) from error
    if problem:
        db.close()
        raise UnusableDatabase(f"database {path}: {problem}")
    try:
        _enable_wal(db)
        migrate(db)
    except UnusableDatabase:
        db.close()
        raise
    except (OSError, sqlite3.DatabaseError) as error:  # a read-only directory: no -wal file can be created
        db.close()
        raise UnusableDatabase.because(path, error) from error
    return db


def open_read_only(path: str | Path) -> sqlite_utils.Database | None:
    """:func:`read_database`, or None when it refuses the file (none yet, not ours, not at this code's schema
    version). For readers that must leave the file as they found it and can do without it, such as a crawl's or a
    distributed worker's snapshot of what is stored."""
    try:
        return read_database(path)
    except UnusableDatabase:
        return None


#: What to run to bring an older database up to this code's schema.
MIGRATE_COMMAND = "python -m crawler migrate --db {path}"


def read_database(path: str | Path) -> sqlite_utils.Database:
    """The database at ``path`` opened read-only (SQLite ``mode=ro``): nothing is migrated or written, so it works
    on a file or in a directory the user cannot write. Raises :class:`UnusableDatabase` (one line naming what to do)
    when there is none, it is not ours, or its schema is not this code's current one: older (then
    :data:`MIGRATE_COMMAND` upgrades it) or newer. For the commands that only read: search, stats, export, report.

    Reading a database in WAL mode creates its ``-wal`` and ``-shm`` files when they are missing (SQLite's
    coordination with writers; a reader cannot remove them). A database without a ``-wal`` file is whole in its
    main file, so it is checked first as an immutable file, which creates nothing: a refused database is left
    exactly as it was."""
    path = Path(path)
    if path.is_dir():
        raise UnusableDatabase(f"database {path} is a directory, not a database file: {USE_ANOTHER}")
    if not path.exists():
        raise UnusableDatabase(f"no database at {path} (run `python -m crawler demo` or a crawl first, or pass --db)")
    if not Path(f"{path}-wal").exists():
        probe = _checked(
            path,
            lambda: sqlite_utils.Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)),
        )
        probe.close()
    return _checked(path, lambda: connect_read_only(path))


def _checked(path: Path, connect: Callable[[], sqlite_utils.Database]) -> sqlite_utils.Database:
    """The database ``connect()`` opens, once its schema is found to be this code's current one."""
    from crawler.migrations import latest_version, schema_problem, schema_version

    try:
        db = connect()
    except (OSError, sqlite3.DatabaseError) as error:
        raise UnusableDatabase.because(path, error) from error
    try:
        problem = schema_problem(db)
        version = schema_version(db)
    except sqlite3.DatabaseError as error:  # not SQLite, or damaged behind a valid header
        db.close()
        raise UnusableDatabase.because(path, error) from error
    if problem is None and version < latest_version():
        problem = (
            f"schema version {version} is older than this code's ({latest_version()}); it is opened "
            f"read-only, so upgrade it first: {MIGRATE_COMMAND.format(path=path)}"
        )
    if problem:
        db.close()
        raise UnusableDatabase(f"database {path}: {problem}")
    return db


def connect_read_only(path: Path) -> sqlite_utils.Database:
    """A ``mode=ro`` connection to ``path``. A database in WAL mode needs its ``-shm`` file, which SQLite cannot
    create in a directory the user cannot write: there, with no ``-wal`` file holding unmerged writes (none can be
    written in such a directory), the file is opened as immutable, which needs neither."""
    uri = path.resolve().as_uri()
    connection = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        connection.close()
        wal = Path(f"{path}-wal")
        if os.access(path.parent, os.W_OK) or (wal.exists() and wal.stat().st_size):
            raise
        connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    return sqlite_utils.Database(connection)


def database_problem(path: str | Path) -> str | None:
    """Why the database at ``path`` cannot be used (one line), or None once it is open-able: created and migrated
    as needed. For commands to check before they start any work."""
    try:
        open_database(path).close()
    except UnusableDatabase as error:
        return str(error)
    return None


def _enable_wal(db: sqlite_utils.Database) -> None:
    """Switch to WAL mode. Two processes switching a new database at the same moment would deadlock, so SQLite
    answers one of them "database is locked" at once, without the busy timeout: that one tries again (by then the
    database is in WAL mode, or it wins the next round)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One transaction that takes the write lock up front, committed on success and rolled back on error.

    ``db.atomic()`` begins a deferred transaction: its lookups read a snapshot, and when another process commits
    before our first write, upgrading to the write lock fails at once with SQLITE_BUSY (the busy timeout does not
    apply). Taking the lock first makes "look up, then insert" atomic across processes. sqlite-utils calls made
    inside nest as savepoints."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise


# --- identity ------------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=TEXT_HASHES_REMEMBERED)
def text_hash(title: str, lead: str, body: str) -> str:
    """SHA-256 (hex) of the article's text, normalised so that Unicode form, case and spacing do not count.

    Remembered for the last few texts: in a crawl the dedupe pipeline and then the store ask for the same article's
    hash, with the same string objects (their hashes cached, and compared by identity first), so the second answer
    costs a dictionary lookup, not a normalisation of the whole text."""
    normalised = "\n".join(_fold(part) for part in (title, lead, body))
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def article_text_hash(article: Article) -> str:
    return text_hash(article.title, article.lead, article.body)


def identity_keys(article: Article) -> list[tuple[str, ...]]:
    """The keys that identify ``article``, each led by its kind (``url``, ``native_id``, ``text_hash``).

    Sharing any one of them with another article makes it a duplicate of that article: the same rule as
    :func:`known`, as keys for an in-memory set. The text hash is not scoped to the outlet: one text, one row."""
    keys: list[tuple[str, ...]] = [("url", article.url)]
    if article.native_id:
        keys.append(("native_id", article.outlet, article.native_id))
    keys.append(("text_hash", article_text_hash(article)))
    return keys


def known(
    db: sqlite_utils.Database,
    outlet: str,
    *,
    url: str | None = None,
    native_id: str | None = None,
    text_hash: str | None = None,
) -> int | None:
    """The id of a stored article with this canonical URL, this native id in ``outlet``, or this text hash;
    None when there is none. Keys left as None are not looked up."""
    row = db.execute(
        "SELECT id FROM articles WHERE url = :url OR (outlet = :outlet AND native_id = :native_id) "
        "OR text_hash = :text_hash LIMIT 1",
        {"url": url, "outlet": outlet, "native_id": native_id, "text_hash": text_hash},
    ).fetchone()
    return row[0] if row else None


# --- writes --------------------------------------------------------------------------------------------------------


class SaveCounts(tuple):
    """``(new, unchanged)`` as before, plus ``.updated``: stored articles whose text changed (row updated, previous
    text kept in ``article_versions``). Unpacks as a pair so that existing callers keep working."""

    updated: int

    def __new__(cls, new: int, unchanged: int, updated: int = 0) -> SaveCounts:
        counts = super().__new__(cls, (new, unchanged))
        counts.updated = updated
        return counts


def save_articles(db: sqlite_utils.Database, articles: Iterable[Article]) -> SaveCounts:
    """Store ``articles`` in one transaction; return ``(new, unchanged)`` with ``.updated``.

    An article already known (see :func:`known`, which also sees the rows inserted earlier in this batch) adds
    no row. When it is known by its canonical URL or ``(outlet, native_id)`` and its text changed, the stored row
    takes the new text and the previous one goes to ``article_versions`` (:func:`update_article_text`); otherwise
    its stored row only has ``last_crawled`` moved forward."""
    with write_transaction(db):
        return write_articles(db, articles)


def save_batch(
    db: sqlite_utils.Database, articles: Iterable[Article], failures: Iterable[PageFailure], pages: Iterable[PageRow]
) -> SaveCounts:
    """Store ``articles`` and ``failures`` with their archived ``pages`` (:mod:`crawler.corpus.pages`) in one
    transaction: an article is never stored without its page, nor its page without it, whatever fails or kills
    the process in between. Returns what :func:`save_articles` returns.

    A failure's page (an extractor-judged one, kept to be judged again) never replaces a stored article's page."""
    from crawler.corpus.pages import write_pages

    with write_transaction(db):
        counts = write_articles(db, articles)
        _record_failures(db, failures)
        write_pages(db, pages)
    return counts


def write_articles(db: sqlite_utils.Database, articles: Iterable[Article]) -> SaveCounts:
    """:func:`save_articles` inside the caller's write transaction (see :func:`write_transaction`)."""
    new = unchanged = updated = 0
    for article in articles:
        crawled_at = utc_timestamp(article.fetched_at)
        article_hash = article_text_hash(article)
        existing = known(db, article.outlet, url=article.url, native_id=article.native_id, text_hash=article_hash)
        if existing is None:
            row = article_row(article, article_hash, crawled_at)
            db.execute(insert_statement("articles", tuple(row)), row)
            new += 1
        elif update_article_text(db, article, article_hash, crawled_at):
            updated += 1
        else:
            _recrawled(db, existing, crawled_at, article)
            unchanged += 1
        resolve_judged_failures(db, article)
    return SaveCounts(new, unchanged, updated)


def resolve_judged_failures(db: sqlite_utils.Database, article: Article) -> None:
    """Delete the extractor's failure rows (:data:`~crawler.items.EXTRACTOR_JUDGED`) of the page ``article`` was
    read from: a newer extractor read it, so they no longer stand."""
    db.execute(
        f"DELETE FROM failures WHERE outlet = ? AND url IN (?, ?) "
        f"AND reason IN ({', '.join('?' for _ in EXTRACTOR_JUDGED)})",
        [article.outlet, article.url, article.fetched_url or article.url, *EXTRACTOR_JUDGED],
    )


def _recrawled(db: sqlite_utils.Database, article_id: int, crawled_at: str, article: Article | None = None) -> None:
    db.execute(
        "UPDATE articles SET last_crawled = max(last_crawled, ?), "
        "http_etag = coalesce(?, http_etag), http_last_modified = coalesce(?, http_last_modified) WHERE id = ?",
        [crawled_at, article and article.http_etag, article and article.http_last_modified, article_id],
    )


def update_article_text(db: sqlite_utils.Database, article: Article, article_hash: str, crawled_at: str) -> bool:
    """When ``article`` is a stored article (same canonical URL, or same ``(outlet, native_id)``) with another
    text, keep the stored text as a new ``article_versions`` row, put the new text in the row and return True.

    Not an update: the same text (a re-crawl), or a text another stored article already has (a duplicate)."""
    row = db.execute(
        "SELECT * FROM articles WHERE url = :url OR (outlet = :outlet AND native_id = :native_id) "
        "ORDER BY url = :url DESC LIMIT 1",
        {"url": article.url, "outlet": article.outlet, "native_id": article.native_id},
    ).fetchone()
    if row is None:
        return False
    stored = dict(zip([column[0] for column in db.execute("SELECT * FROM articles LIMIT 0").description], row))
    if stored["text_hash"] == article_hash or known(db, article.outlet, text_hash=article_hash) is not None:
        return False
    version = db.execute(
        "SELECT coalesce(max(version), 0) + 1 FROM article_versions WHERE article_id = ?", [stored["id"]]
    ).fetchone()[0]
    db.table("article_versions").insert(
        {
            "article_id": stored["id"],
            "version": version,
            **{column: stored[column] for column in VERSIONED_COLUMNS},
            "first_seen": stored["updated"] or stored["first_seen"],
            "replaced": crawled_at,
        }
    )
    fresh = article_row(article, article_hash, crawled_at)
    changes = {column: fresh[column] for column in VERSIONED_COLUMNS if column != "url"}
    changes.update(
        fetched_url=fresh["fetched_url"],
        updated=crawled_at,
        last_crawled=max(crawled_at, stored["last_crawled"]),
        http_etag=article.http_etag or stored["http_etag"],
        http_last_modified=article.http_last_modified or stored["http_last_modified"],
    )
    db.table("articles").update(stored["id"], changes)
    return True


@functools.lru_cache(maxsize=4)
def insert_statement(table: str, columns: tuple[str, ...]) -> str:
    """``INSERT INTO table (columns) VALUES (:column, ...)``: built once per table and columns and prepared once by
    SQLite's statement cache, where sqlite-utils' ``insert`` builds its SQL and reads the table's columns anew for
    every row (a third of the insert's CPU in a crawl)."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + column for column in columns)})"


def article_row(article: Article, article_hash: str, crawled_at: str) -> dict[str, object]:
    """The ``articles`` row of ``article`` (text hash and crawl time given), as stored."""
    return {
        "outlet": article.outlet,
        "url": article.url,
        "native_id": article.native_id,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "author": article.author,
        "published": article.published,
        "category": article.category,
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "images": json.dumps([dataclasses.asdict(image) for image in article.images], ensure_ascii=False),
        "text_hash": article_hash,
        "extraction": article.extraction,
        "fetched_url": article.fetched_url,
        "first_seen": crawled_at,
        "last_crawled": crawled_at,
        "http_etag": article.http_etag,
        "http_last_modified": article.http_last_modified,
    }


def record_failures(db: sqlite_utils.Database, failures: Iterable[PageFailure]) -> None:
    """Store ``failures`` in one transaction: one row per (outlet, URL, reason); a repeat counts one more attempt
    and updates ``last_seen``, ``detail``, ``status`` and ``extractor_version``."""
    with write_transaction(db):
        _record_failures(db, failures)


def _record_failures(db: sqlite_utils.Database, failures: Iterable[PageFailure]) -> None:
    for failure in failures:
        seen_at = utc_timestamp(failure.fetched_at)
        db.execute(
            """
            INSERT INTO failures (outlet, url, reason, detail, status, first_seen, last_seen, attempts,
                                  extractor_version)
            VALUES (:outlet, :url, :reason, :detail, :status, :seen_at, :seen_at, 1, :extractor_version)
            ON CONFLICT (outlet, url, reason) DO UPDATE SET
                detail = excluded.detail,
                status = excluded.status,
                last_seen = max(last_seen, excluded.last_seen),
                attempts = attempts + 1,
                extractor_version = excluded.extractor_version
            """,
            {
                "outlet": failure.outlet,
                "url": failure.url,
                "reason": failure.reason,
                "detail": failure.detail,
                "status": failure.status,
                "seen_at": seen_at,
                "extractor_version": failure.extractor_version,
            },
        )


def utc_timestamp(value: str | None = None) -> str:
    """``value`` (any ISO 8601 time; naive means UTC), or now, as UTC ISO 8601 to the second.

    One format for every stored time, so that they compare correctly as text (``max()`` above)."""
    moment = datetime.fromisoformat(value) if value else datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
