"""End-to-end crawl of the replicas with no artificial delay: every outlet, one process each (the ``crawl``
command), at each size, then the same crawl with extraction disabled (``EXTRACTION_ENABLED=False``: Scrapy's own
floor, the pages downloaded and dropped).

``python -m benchmarks.crawl [--sizes 1000 10000] [--workdir DIR]``
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from benchmarks.common import CrawlFigures, machine, measured_crawl
from crawler.replica.server import ReplicaServer

SIZES = (1000, 10000)


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def crawl_pair(replica: ReplicaServer, workdir: Path) -> tuple[CrawlFigures, CrawlFigures]:
    """The full crawl (into ``workdir/articles.db``, kept for the other benchmarks) and the crawl without
    extraction (its own database), of the same replica."""
    size = replica.articles_per_outlet
    full = measured_crawl(f"{size}/outlet", replica, workdir / "articles.db", fresh_dir(workdir / "full"))
    floor = measured_crawl(f"{size}/outlet, extraction disabled", replica, workdir / "floor.db",
                           fresh_dir(workdir / "floor"), ["EXTRACTION_ENABLED=False"])
    return full, floor


def table(rows: list[CrawlFigures]) -> str:
    """The crawl figures; "vs first": time per article page relative to the first full crawl's."""
    base = next(row for row in rows if row.stored)
    lines = ["End-to-end crawl, 4 outlets in parallel, no delay (one run, side by side)", "",
             "| crawl | article pages | stored | wall s | pages/s | wall ms/page | vs first | CPU ms/page | vs first "
             "| peak RSS, one process (MB) | peak RSS, all processes (MB) | exit |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(
            f"| {row.label} | {row.article_pages:,} | {row.stored:,} | {row.wall_seconds:.1f} "
            f"| {row.pages_per_second:.1f} | {row.wall_ms_per_page:.2f} | {row.wall_ms_per_page / base.wall_ms_per_page:.2f} "
            f"| {row.cpu_ms_per_page:.2f} | {row.cpu_ms_per_page / base.cpu_ms_per_page:.2f} "
            f"| {row.peak_rss_process_mb:.0f} | {row.peak_rss_total_mb:.0f} | {row.exit_code} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="articles per outlet")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 300")
    parser.add_argument("--workdir", type=Path, help="where databases and logs go (default: a temporary directory)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    print(machine())
    rows = []
    for size in ([100, 300] if args.quick else args.sizes):
        with ReplicaServer(articles_per_outlet=size) as replica:
            rows += crawl_pair(replica, fresh_dir(workdir / str(size)))
    print(table(rows))
    return 0 if all(row.exit_code == 0 for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
