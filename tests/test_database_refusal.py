"""A database this code must not write is refused, and left exactly as it was: one written by a newer crawler
(schema version beyond :func:`latest_version`, never downgraded), a file that is not SQLite, another
application's SQLite database. Every command says why in one line and exits 1, without a traceback. And
``export -o`` never writes over the database it exports, under any name, nor over any other SQLite file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.migrations import latest_version, schema_version
from crawler.storage import UnusableDatabase, open_database

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, nothing is fetched

#: Every command that opens the database, with what it needs besides --db.
COMMANDS = {
    "stats": ["stats"],
    "search": ["search", "ha noi"],
    "export": ["export", "--format", "jsonl"],
    "report": ["report", "-o", "{tmp}/report.html"],
    "reextract": ["reextract"],
    "dedupe-near": ["dedupe-near"],
    "crawl": ["crawl", "clo", "--replica", UNREACHABLE, "--log-dir", "{tmp}/logs", "--jobs-dir", ""],
    "demo": ["demo", "--articles", "2"],
}


def newer_database(path: Path) -> Path:
    """A database of ours as a newer crawler leaves it: one more migration applied than this code knows."""
    with open_database(path) as db:
        db["articles"].insert(
            {
                "outlet": "clo",
                "url": "https://congluan.vn/a-post1.html",
                "title": "T",
                "lead": "L",
                "body": "B",
                "tags": "[]",
                "images": "[]",
                "text_hash": "h",
                "extraction": "outlet",
                "first_seen": "2026-01-01",
                "last_crawled": "2026-01-01",
            }
        )
        db.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from_a_newer_crawler', "
            "'2027-01-01T00:00:00+00:00')",
            [latest_version() + 1],
        )
        db.execute(f"PRAGMA user_version = {latest_version() + 1}")
        db.conn.commit()
    return path


def not_sqlite(path: Path) -> Path:
    path.write_text("outlet,url\nclo,https://congluan.vn/a-post1.html\n", encoding="utf-8")
    return path


def another_applications(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO customers (name) VALUES ('Lan')")
    return path


def files(directory: Path) -> dict[str, bytes]:
    """Every file of ``directory`` (the database and any -wal, -shm or journal next to it) and its bytes."""
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


def run(command: list[str], database: Path, tmp: Path) -> subprocess.CompletedProcess:
    arguments = [part.replace("{tmp}", str(tmp)) for part in command]
    return subprocess.run(
        [sys.executable, "-m", "crawler", *arguments, "--db", str(database)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_refused(done: subprocess.CompletedProcess, why: str) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    [line] = done.stderr.strip().splitlines()
    assert why in line, line


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_database_newer_than_the_code_is_refused_and_untouched(tmp_path, command):
    database = newer_database(tmp_path / "db" / "articles.db")
    before = files(database.parent)
    assert_refused(run(COMMANDS[command], database, tmp_path), f"schema version {latest_version() + 1} is newer")
    assert files(database.parent) == before


@pytest.mark.parametrize(
    "make, why",
    [(not_sqlite, "not an SQLite database"), (another_applications, "not a vn-news-crawler database")],
    ids=["not-sqlite", "another-application"],
)
@pytest.mark.parametrize("command", ["stats", "export", "crawl"])
def test_a_file_that_is_not_our_database_is_refused_and_untouched(tmp_path, make, why, command):
    (tmp_path / "db").mkdir()
    database = make(tmp_path / "db" / "articles.db")
    before = files(database.parent)
    assert_refused(run(COMMANDS[command], database, tmp_path), why)
    assert files(database.parent) == before


def test_opening_never_downgrades(tmp_path):
    database = newer_database(tmp_path / "articles.db")
    with pytest.raises(UnusableDatabase, match="newer"):
        open_database(database)
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == latest_version() + 1
        assert connection.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == latest_version() + 1


def test_a_database_of_ours_is_still_opened_and_upgraded(tmp_path):
    """The refusals leave alone what must open: a new file, an empty one, one at the latest version."""
    (tmp_path / "empty.db").touch()
    for name in ("new.db", "empty.db"):
        with open_database(tmp_path / name) as db:
            assert schema_version(db) == latest_version()
    with open_database(tmp_path / "new.db") as db:
        assert schema_version(db) == latest_version()


def test_a_plain_scrapy_crawl_writes_nothing_into_a_newer_database(tmp_path):
    from crawler.replica.server import ReplicaServer

    database = newer_database(tmp_path / "db" / "articles.db")
    before = files(database.parent)
    with ReplicaServer(articles_per_outlet=5) as replica:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "clo",
                "-s",
                f"DATABASE_PATH={database}",
                "-s",
                f"REPLICA_URL={replica.url}",
                "-s",
                "LOG_LEVEL=ERROR",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert_refused(done, f"schema version {latest_version() + 1} is newer")
    assert files(database.parent) == before


# --- export -o never writes over a database ----------------------------------------------------------------------


def corpus(path: Path) -> Path:
    """A database of ours with one article (the newer_database without the newer migration)."""
    with open_database(path) as db:
        db["articles"].insert(
            {
                "outlet": "clo",
                "url": "https://congluan.vn/a-post1.html",
                "title": "Tin",
                "lead": "L",
                "body": "B",
                "tags": "[]",
                "images": "[]",
                "text_hash": "h",
                "extraction": "outlet",
                "first_seen": "2026-01-01",
                "last_crawled": "2026-01-01",
            }
        )
    return path


def export(database: Path, output: Path | str, export_format: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "export",
            "--format",
            export_format,
            "--db",
            str(database),
            "-o",
            str(output),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("export_format", ["jsonl", "csv", "parquet"])
@pytest.mark.parametrize("spelling", ["same-path", "relative-path", "symlink", "hard-link"])
def test_export_never_writes_over_the_database(tmp_path, export_format, spelling):
    database = corpus(tmp_path / "db" / "articles.db")
    output: Path | str = database
    if spelling == "relative-path":
        output = "db/../db/articles.db"
    elif spelling == "symlink":
        output = tmp_path / "corpus.jsonl"
        output.symlink_to(database)
    elif spelling == "hard-link":
        output = tmp_path / "corpus.jsonl"
        output.hardlink_to(database)
    before = files(database.parent)
    done = export(database, output, export_format, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "not writing over" in line and "database" in line, line
    assert files(database.parent) == before
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_export_never_writes_over_another_sqlite_database(tmp_path):
    database = corpus(tmp_path / "articles.db")
    other = another_applications(tmp_path / "customers.db")
    before = other.read_bytes()
    done = export(database, other, "csv")
    assert done.returncode == 2 and "is an SQLite database" in done.stderr, done.stderr
    assert other.read_bytes() == before


def test_export_still_writes_new_and_ordinary_files(tmp_path):
    database = corpus(tmp_path / "articles.db")
    stale = tmp_path / "stale.jsonl"
    stale.write_text("an earlier export\n" * 100, encoding="utf-8")
    for output in (tmp_path / "new.jsonl", stale):
        assert export(database, output, "jsonl").returncode == 0
        [line] = output.read_text(encoding="utf-8").splitlines()
        assert '"title": "Tin"' in line
