"""What linking one new article to its near-duplicates costs as the corpus grows, and where that time goes.

``python -m benchmarks.neardup_scaling DATABASE [DATABASE ...] [--articles 200]``

For each crawled database (e.g. the 1,000 and 10,000 per outlet crawls of ``benchmarks.run_all --workdir``), on a
copy: the signatures of its last ``--articles`` articles are dropped, then
:func:`crawler.corpus.neardup.update_near_duplicates` signs and links them again, as a crawl does after each batch,
once timed and once under cProfile. Printed side by side: CPU ms per article, the LSH candidates per article
(earlier articles sharing one of its bands, published within the window), and the functions that take the time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sqlite3
import tempfile
import time
from pathlib import Path

from crawler.corpus.neardup import candidates, unpack_band_keys, update_near_duplicates
from crawler.storage import open_database

DEFAULT_ARTICLES = 200


def relink_last(database: Path, articles: int, scratch: Path) -> tuple[int, float, float, str]:
    """(corpus size, CPU ms per article, candidates per article, profile) for the last ``articles`` articles: timed
    on one copy, profiled on another (cProfile's overhead per call would skew the time). Linked as a crawl links a
    stored batch: the articles above the previous linking's newest id (``after``)."""
    size, found, first_id, timed = unsigned_copy(database, articles, scratch / "timed.db")
    started = time.process_time()
    signed, _ = update_near_duplicates(timed, after=first_id - 1)
    seconds = time.process_time() - started
    timed.close()
    profiled = unsigned_copy(database, articles, scratch / "profiled.db")[3]
    profile = cProfile.Profile()
    profile.runcall(update_near_duplicates, profiled, after=first_id - 1)
    profiled.close()
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(8)
    return size, 1000 * seconds / max(1, signed), found / max(1, articles), text.getvalue()


def unsigned_copy(database: Path, articles: int, copy: Path):
    """(corpus size, LSH candidates of the last ``articles``, the first of them's id, the opened copy without their
    signatures)."""
    copy.unlink(missing_ok=True)
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    db = open_database(copy)
    size = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    last = db.execute(
        "SELECT article_id, band_keys, day FROM neardup_signatures ORDER BY article_id DESC LIMIT ?", [articles]
    ).fetchall()
    # Before the signatures go: an article is compared with the earlier articles its lookup finds.
    found = 0
    for article_id, packed_keys, day in last:
        keys = unpack_band_keys(packed_keys)
        found += sum(1 for other, _ in candidates(db, article_id, keys, day) if other < article_id)
    first_id = min(row[0] for row in last)
    with db.conn:
        db.execute("DELETE FROM neardup_bands WHERE article_id >= ?", [first_id])
        db.execute("DELETE FROM neardup_signatures WHERE article_id >= ?", [first_id])
    return size, found, first_id, db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("databases", type=Path, nargs="+")
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-neardup-") as scratch:
        rows = [relink_last(database, args.articles, Path(scratch)) for database in args.databases]
    print(f"Near-duplicate linking of the last {args.articles} articles of a corpus (one run, side by side)\n")
    print("| corpus (articles) | CPU ms per article | LSH candidates per article | vs first |")
    print("|---:|---:|---:|---:|")
    for size, ms, per_article, _ in rows:
        print(f"| {size:,} | {ms:.1f} | {per_article:.0f} | {ms / rows[0][1]:.2f} |")
    for size, _, _, profile in rows:
        print(f"\nProfile at {size:,} articles (by own time):\n{profile}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
