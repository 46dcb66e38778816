"""The corpus commands of ``python -m crawler``, registered by :func:`add_commands` (one call in crawler/cli.py).

Each command is a module with ``add_arguments(parser)`` and ``run(args) -> int``; its help is the first line of the
module's docstring after the command name.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

#: command -> (module, one-line help)
COMMANDS = {
    "search": ("crawler.corpus.search", "full-text search of the corpus (diacritics optional), ranked, with snippets"),
    "export": ("crawler.corpus.export", "export articles as JSON Lines, CSV or Parquet, streaming"),
    "stats": ("crawler.corpus.stats", "articles per outlet and day, new, updated, failures, last run"),
    "report": ("crawler.corpus.report", "write a self-contained HTML report with charts"),
    "migrate": (
        "crawler.corpus.migrate",
        "upgrade the database to this code's schema (the other commands that write do it themselves)",
    ),
    "reextract": ("crawler.corpus.reextract", "rebuild articles from the raw page archive, without re-crawling"),
    "dedupe-near": ("crawler.corpus.dedupe_near", "link near-duplicate articles (wire copy) into clusters"),
}


def add_commands(commands: argparse._SubParsersAction) -> None:
    for name, (module_name, help_text) in COMMANDS.items():
        parser = commands.add_parser(name, help=help_text, description=_description(module_name, help_text))
        module = _LazyModule(module_name)
        module.add_arguments(parser)
        parser.set_defaults(run=module.run)


class _LazyModule:
    """Import the command's module only when it is used (sqlite-utils, pyarrow... stay unimported for --help)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        importlib.import_module(self.name).add_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        return importlib.import_module(self.name).run(args)  # errors: crawler.cli.main


def _description(module_name: str, help_text: str) -> str:
    return help_text[0].upper() + help_text[1:] + "."


def database_path(args: argparse.Namespace) -> Path:
    """``--db``, or the DATABASE_PATH setting (output/articles.db)."""
    if getattr(args, "db", None):
        return Path(args.db)
    from crawler import settings

    return Path(settings.DATABASE_PATH)


def open_for_reading(args: argparse.Namespace):
    """The database of ``args`` opened read-only (:func:`crawler.storage.read_database`: never migrated or written,
    so a read-only file or directory will do); SystemExit with one line when it does not exist or cannot be read
    (not SQLite, another application's, older or newer than this code: the line says what to run)."""
    from crawler.storage import UnusableDatabase, read_database

    try:
        return read_database(database_path(args))
    except UnusableDatabase as error:
        raise SystemExit(str(error)) from None


def open_existing(args: argparse.Namespace):
    """The database of ``args`` opened (and migrated), for the commands that write; SystemExit with a message when
    it does not exist or cannot be used (not SQLite, another application's, newer than this code)."""
    from crawler.storage import UnusableDatabase, open_database

    path = database_path(args)
    if not path.exists():
        raise SystemExit(f"no database at {path} (run `python -m crawler demo` or a crawl first, or pass --db)")
    try:
        return open_database(path)
    except UnusableDatabase as error:
        raise SystemExit(str(error)) from None
