"""``python -m crawler migrate``: bring a database up to this code's schema (:mod:`crawler.migrations`).

Crawls, ``reextract`` and ``dedupe-near`` migrate the database they open; the commands that only read it
(``search``, ``stats``, ``export``, ``report``) open it read-only and name this command when it is older.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")


def run(args: argparse.Namespace) -> int:
    from crawler.corpus.commands import database_path, open_existing
    from crawler.migrations import latest_version, schema_version

    path = database_path(args)
    before = _version(path)
    if before == latest_version():  # nothing to do: not opened for writing (it may be a read-only corpus)
        print(f"database {path}: schema version {before} (already current)")
        return 0
    with open_existing(args) as db:
        after = schema_version(db)
    print(
        f"database {path}: schema version {after}" + (" (already current)" if before == after else f" (was {before})")
    )
    return 0


def _version(path: Path) -> int | None:
    """The schema version of the database at ``path`` as it is (read-only), None when it cannot be read."""
    from crawler.migrations import schema_version
    from crawler.storage import UnusableDatabase, connect_read_only

    try:
        db = connect_read_only(path)
    except (UnusableDatabase, sqlite3.Error, OSError):
        return None
    with contextlib.closing(db.conn):
        try:
            return schema_version(db)
        except sqlite3.Error:
            return None
