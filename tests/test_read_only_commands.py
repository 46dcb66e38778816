"""The commands that only read the corpus (search, stats, export, report) never migrate or write it: they open it
read-only. A database older than the code is refused with one line naming the command that upgrades it, and left
byte for byte as it was; a database the user cannot write (read-only file, read-only directory) is read as usual.

Each case runs the real command in a subprocess. Root ignores permission bits, so as root the command runs
without the capabilities that override them (``setpriv``), as an ordinary user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from crawler.items import Article
from crawler.migrations import MIGRATIONS, latest_version, schema_version
from crawler.storage import open_database, save_articles

ROOT = Path(__file__).resolve().parent.parent

#: The reading commands, with what they need besides --db ({tmp}: a writable folder for their output).
READERS = {
    "search": (["search", "ha noi"], "Hà Nội"),
    "stats": (["stats", "--json"], '"antv"'),
    "export": (["export", "--format", "jsonl", "-o", "{tmp}/corpus.jsonl"], "exported 3 articles"),
    "report": (["report", "-o", "{tmp}/report.html"], "report.html"),
}
ARTICLES = [
    Article(
        outlet="antv",
        url=f"https://antv.gov.vn/bai-{n}.html",
        title=f"Tin Hà Nội {n}",
        lead=f"(ANTV) - Mở đầu {n}.",
        body=f"Thân bài {n}.",
        published=f"2026-11-1{n}T08:00:00+07:00",
    )
    for n in range(3)
]


def files(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir()) if path.is_file()}


def run(argv: list[str], database: Path, tmp: Path, as_user: bool = False) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "crawler",
        *(part.replace("{tmp}", str(tmp)) for part in argv),
        "--db",
        str(database),
    ]
    if as_user and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv (util-linux) to drop the capabilities that ignore modes")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )


def older_database(path: Path) -> Path:
    """A corpus written by the previous version of the code: every migration but the last applied."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:-1]:
        migration.apply(old)
    old.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "applied_at TEXT NOT NULL)"
    )
    old["schema_migrations"].insert_all(
        {"version": n, "name": m.name, "applied_at": "2026-01-01"} for n, m in enumerate(MIGRATIONS[:-1], 1)
    )
    old.execute(f"PRAGMA user_version = {latest_version() - 1}")
    old.conn.commit()
    old.close()
    return path


@pytest.mark.parametrize("command", READERS)
def test_an_older_database_is_refused_with_what_to_run_and_left_untouched(tmp_path, command):
    database = older_database(tmp_path / "db" / "articles.db")
    before = files(database.parent)
    done = run(READERS[command][0], database, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert f"schema version {latest_version() - 1} is older" in line
    assert f"python -m crawler migrate --db {database}" in line
    assert files(database.parent) == before


def test_migrate_upgrades_an_older_database_for_the_readers(tmp_path):
    database = older_database(tmp_path / "db" / "articles.db")
    done = run(["migrate"], database, tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"schema version {latest_version()} (was {latest_version() - 1})" in done.stdout
    with sqlite_utils.Database(database) as db:
        assert schema_version(db) == latest_version()
    assert run(READERS["stats"][0], database, tmp_path).returncode == 0


@pytest.fixture
def read_only_corpus(tmp_path):
    """A current corpus (WAL mode, as every crawl leaves it) in a directory nobody may write, the file read-only."""
    directory = tmp_path / "read-only"
    with open_database(directory / "articles.db") as db:
        save_articles(db, ARTICLES)
    assert files(directory).keys() == {"articles.db"}  # closed cleanly: no -wal or -shm left
    (directory / "articles.db").chmod(0o444)
    directory.chmod(0o555)
    yield directory / "articles.db"
    directory.chmod(0o755)


def test_migrate_leaves_a_current_read_only_database_alone(tmp_path, read_only_corpus):
    before = files(read_only_corpus.parent)
    done = run(["migrate"], read_only_corpus, tmp_path, as_user=True)
    assert done.returncode == 0, done.stderr
    assert f"schema version {latest_version()} (already current)" in done.stdout
    assert files(read_only_corpus.parent) == before


@pytest.mark.parametrize("command", READERS)
def test_a_read_only_database_in_a_read_only_directory_is_read(tmp_path, read_only_corpus, command):
    argv, expected = READERS[command]
    before = files(read_only_corpus.parent)
    output = tmp_path / "out"
    output.mkdir()
    done = run(argv, read_only_corpus, output, as_user=True)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout + done.stderr
    assert files(read_only_corpus.parent) == before


@pytest.mark.parametrize("command", READERS)
def test_a_read_only_database_file_in_a_writable_directory_is_read(tmp_path, read_only_corpus, command):
    read_only_corpus.parent.chmod(0o755)
    argv, expected = READERS[command]
    before = read_only_corpus.read_bytes()
    output = tmp_path / "out"
    output.mkdir()
    done = run(argv, read_only_corpus, output, as_user=True)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout + done.stderr
    assert read_only_corpus.read_bytes() == before
