"""Every benchmark in one run, printed as the Markdown tables of BENCHMARKS.md.

``python -m benchmarks.run_all [--quick] [--workdir DIR] [--output FILE]``

Order: extraction (not with ``--no-extraction``); the MinHash libraries; then per size, the near-duplicate
clusters of the replica corpus, the full crawl, the crawl without extraction, the storage of the full crawl's
database; at the largest size, the steady-state recrawl rounds on that database; last, linking the last articles of
each size's crawled corpus (candidates per article). ``--quick``: 20 pages per outlet, sizes 100 and 300, 2 rounds
of 20 (a few minutes); the default is the issue's sizes (about half an hour on 2 cores).
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

from benchmarks import crawl, extraction, incremental, minhash_libraries, neardup_clusters, neardup_scaling, storage
from benchmarks.common import CrawlFigures, machine
from crawler.replica.server import ReplicaServer


def printed(main, argv: list[str]) -> str:
    """What a benchmark module's ``main`` prints."""
    out = StringIO()
    with redirect_stdout(out):
        main(argv)
    return out.getvalue().strip()


def run(
    pages_per_outlet: int, sizes: list[int], published: int, rounds: int, workdir: Path, with_extraction: bool = True
) -> str:
    command = shlex.join(["python", "-m", "benchmarks.run_all", *sys.argv[1:]])
    sections = [f"Machine: {machine()}", f"Command: `{command}`"]
    if with_extraction:
        pages = extraction.replica_pages(pages_per_outlet)
        sections.append(extraction.table(extraction.measure(pages), len(pages)))
        print(sections[-1], flush=True)
    sections.append(printed(minhash_libraries.main, ["--articles", str(min(250, sizes[0]))]))
    print(sections[-1], flush=True)
    generic = extraction.generic_pages(pages_per_outlet)
    sections.append(extraction.table(extraction.measure(generic), len(generic), extraction.GENERIC_PAGES))
    print(sections[-1], flush=True)
    crawls: list[CrawlFigures] = []
    stores: list[storage.StorageFigures] = []
    for size in sizes:
        directory = crawl.fresh_dir(workdir / str(size))
        clusters_file = directory / "replica-clusters.json"
        sections.append(printed(neardup_clusters.main, ["--articles", str(size), "--output", str(clusters_file)]))
        print(sections[-1], flush=True)
        with ReplicaServer(articles_per_outlet=size) as replica:
            crawls += crawl.crawl_pair(replica, directory)
            print(crawl.table(crawls), flush=True)
            stores.append(storage.storage_figures(directory / "articles.db"))
            if size == max(sizes):
                before = crawls[-2].stored
                recrawls = incremental.recrawl_rounds(replica, directory / "articles.db", directory, published, rounds)
    sections.append(crawl.table(crawls))
    sections.append(incremental.table(recrawls, before))
    sections += [storage.table(figures) for figures in stores]
    sections.append(printed(neardup_scaling.main, [str(workdir / str(size) / "articles.db") for size in sizes]))
    return "\n\n".join(sections)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    parser.add_argument("--workdir", type=Path, help="databases and logs (default: a temporary directory)")
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    parser.add_argument("--no-extraction", action="store_true", help="leave out the extraction benchmark")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-"))
    if args.quick:
        report = run(20, [100, 300], 20, 2, workdir, not args.no_extraction)
    else:
        report = run(
            extraction.DEFAULT_PAGES_PER_OUTLET,
            list(crawl.SIZES),
            incremental.DEFAULT_PUBLISHED,
            incremental.DEFAULT_ROUNDS,
            workdir,
            not args.no_extraction,
        )
    print(report)
    if args.output:
        args.output.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
