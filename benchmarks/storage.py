"""Storage: database bytes per article, with and without the raw page archive (``pages`` table,
``ARCHIVE_RAW_PAGES``), and where the bytes go.

``python -m benchmarks.storage DATABASE``

Measured on copies of a crawled database: as the crawl left it (WAL checkpointed), vacuumed, and vacuumed without
the archive's rows (what a crawl with ``ARCHIVE_RAW_PAGES=False`` stores, less the free pages its writes left).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sqlite3
import tempfile
from pathlib import Path

#: Tables (and their indexes) grouped by what they are for.
GROUPS = {
    "articles": ("articles", "sqlite_autoindex_articles", "articles_"),
    "full-text index": ("articles_fts",),
    "near-duplicate signatures": ("neardup_", "minhash", "sqlite_autoindex_minhash"),  # minhash*: before migration 7
    "raw page archive": ("pages", "sqlite_autoindex_pages"),
}


@dataclasses.dataclass
class StorageFigures:
    articles: int
    as_crawled: int
    vacuumed: int
    without_archive: int
    by_group: dict[str, int]

    def per_article(self, size: int) -> float:
        return size / max(1, self.articles)


def group_of(name: str) -> str:
    # FTS and signature names start with "articles_"/"minhash" too: the most specific prefix wins.
    matches = [
        (len(prefix), group) for group, prefixes in GROUPS.items() for prefix in prefixes if name.startswith(prefix)
    ]
    return max(matches)[1] if matches else "other (failures, runs, versions, schema)"


def storage_figures(database: Path) -> StorageFigures:
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as scratch:
        copy = Path(scratch) / "copy.db"
        with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
            source.backup(target)  # a consistent copy, WAL included
        as_crawled = database.stat().st_size + _wal_size(database)
        with sqlite3.connect(copy) as connection:
            articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            connection.execute("VACUUM")
            by_group: dict[str, int] = {}
            for name, size in connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
                by_group[group_of(name)] = by_group.get(group_of(name), 0) + size
        vacuumed = copy.stat().st_size
        without = Path(scratch) / "without-archive.db"
        shutil.copy(copy, without)
        with sqlite3.connect(without) as connection:
            connection.execute("DELETE FROM pages")
        with sqlite3.connect(without) as connection:
            connection.execute("VACUUM")
        return StorageFigures(articles, as_crawled, vacuumed, without.stat().st_size, by_group)


def _wal_size(database: Path) -> int:
    wal = database.with_name(database.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def table(figures: StorageFigures) -> str:
    kb = lambda size: f"{figures.per_article(size) / 1024:.2f}"  # noqa: E731
    lines = [
        f"Storage, {figures.articles:,} articles",
        "",
        "| database | MB | KB per article |",
        "|---|---:|---:|",
        f"| as crawled (with archive, WAL included) | {figures.as_crawled / 2**20:.1f} | {kb(figures.as_crawled)} |",
        f"| vacuumed, with archive | {figures.vacuumed / 2**20:.1f} | {kb(figures.vacuumed)} |",
        f"| vacuumed, without archive | {figures.without_archive / 2**20:.1f} | {kb(figures.without_archive)} |",
        "",
        "| part (vacuumed, with archive) | KB per article | share |",
        "|---|---:|---:|",
    ]
    total = sum(figures.by_group.values())
    for group, size in sorted(figures.by_group.items(), key=lambda item: -item[1]):
        lines.append(f"| {group} | {kb(size)} | {100 * size / total:.0f}% |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, help="a crawled database (e.g. from benchmarks.crawl --workdir)")
    args = parser.parse_args(argv)
    print(table(storage_figures(args.database)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
