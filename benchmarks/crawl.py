"""End-to-end crawl of the replicas with no artificial delay: every outlet, one process each (the ``crawl``
command), at each size, then the same crawl with extraction disabled (``EXTRACTION_ENABLED=False``: Scrapy's own
floor, the pages downloaded and dropped).

``python -m benchmarks.crawl [--sizes 1000 10000] [--workdir DIR] [--baseline DIR]``

``--baseline DIR``: instead, compare the full crawl of this code with that of another checkout (e.g. ``git archive
<commit> | tar -x -C DIR``), the two run in turn against the same replica: how a change moved the figures.
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
    floor = measured_crawl(
        f"{size}/outlet, extraction disabled",
        replica,
        workdir / "floor.db",
        fresh_dir(workdir / "floor"),
        ["EXTRACTION_ENABLED=False"],
    )
    return full, floor


def baseline_pair(replica: ReplicaServer, workdir: Path, baseline: Path) -> tuple[CrawlFigures, CrawlFigures]:
    """The full crawl with the code of ``baseline``, then with this code, each into its own database."""
    size = replica.articles_per_outlet
    before = measured_crawl(
        f"{size}/outlet, baseline {baseline}",
        replica,
        workdir / "baseline.db",
        fresh_dir(workdir / "baseline"),
        root=baseline.resolve(),
    )
    after = measured_crawl(f"{size}/outlet, this code", replica, workdir / "articles.db", fresh_dir(workdir / "full"))
    return before, after


def table(rows: list[CrawlFigures]) -> str:
    """The crawl figures; "vs first": time per article page relative to the first full crawl's."""
    base = next(row for row in rows if row.stored)
    lines = [
        "End-to-end crawl, 4 outlets in parallel, no delay (one run, side by side)",
        "",
        "| crawl | article pages | stored | wall s | pages/s | wall ms/page | vs first | CPU ms/page | vs first "
        "| peak RSS, one process (MB) | peak RSS, all processes (MB) | peak PSS, all processes (MB) | exit |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.label} | {row.article_pages:,} | {row.stored:,} | {row.wall_seconds:.1f} "
            f"| {row.pages_per_second:.1f} | {row.wall_ms_per_page:.2f} "
            f"| {row.wall_ms_per_page / base.wall_ms_per_page:.2f} "
            f"| {row.cpu_ms_per_page:.2f} | {row.cpu_ms_per_page / base.cpu_ms_per_page:.2f} "
            f"| {row.peak_rss_process_mb:.0f} | {row.peak_rss_total_mb:.0f} "
            f"| {row.peak_pss_total_mb:.0f} | {row.exit_code} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="articles per outlet")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 300")
    parser.add_argument("--workdir", type=Path, help="where databases and logs go (default: a temporary directory)")
    parser.add_argument("--baseline", type=Path, help="a checkout to compare this code with (full crawls only)")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-crawl-"))
    print(machine())
    rows: list[CrawlFigures] = []
    for size in [100, 300] if args.quick else args.sizes:
        with ReplicaServer(articles_per_outlet=size) as replica:
            directory = fresh_dir(workdir / str(size))
            rows += (
                baseline_pair(replica, directory, args.baseline) if args.baseline else crawl_pair(replica, directory)
            )
    print(table(rows))
    return 0 if all(row.exit_code == 0 for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
