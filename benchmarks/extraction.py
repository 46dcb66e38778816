"""Extraction speed on the same article pages: our extractor, plain trafilatura, and the floor (lxml parsing
alone).

``python -m benchmarks.extraction [--pages-per-outlet N]``

Two sets of pages: the replica's outlet pages (standard layout: the outlet rules carry them), and pages of the
generic path: the replica's ``redesign`` layout (a markup no outlet rule was written for) and the independent sets
(``tests/data/independent``, real outlet pages the rules were not written from).

Each page goes through the three contenders one after the other, in an order that rotates from page to page, so
that a burst of load from another process on the shared machine hits them alike. Times are the CPU time of this
thread (``time.thread_time``), which other processes' load does not inflate the way it inflates wall time; pages per
second is one over the mean.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import time
from collections.abc import Callable

import lxml.html
import trafilatura

from benchmarks.common import machine, percentile
from crawler import outlets
from crawler.evaluation import independent_cases
from crawler.extraction import NotAnArticle, extract
from crawler.extraction.encoding import decode_html
from crawler.replica.server import ReplicaServer

#: The replica's article pages per outlet; the first articles are the newest, the hard cases are spread through.
DEFAULT_PAGES_PER_OUTLET = 250


@dataclasses.dataclass
class Page:
    outlet: str
    url: str
    html: str


@dataclasses.dataclass
class ExtractionFigures:
    name: str
    seconds: list[float]

    @property
    def pages_per_second(self) -> float:
        return len(self.seconds) / sum(self.seconds)

    @property
    def p50_ms(self) -> float:
        return 1000 * percentile(self.seconds, 0.50)

    @property
    def p95_ms(self) -> float:
        return 1000 * percentile(self.seconds, 0.95)


def replica_pages(pages_per_outlet: int, layout: str = "standard") -> list[Page]:
    """The replica's article pages as the spider hands them to extraction (decoded text), outlets interleaved."""
    replica = ReplicaServer(articles_per_outlet=pages_per_outlet, layout=layout)
    per_outlet = []
    for site in {id(site): site for site in replica.sites.values()}.values():
        pages = []
        for article in site.articles[:pages_per_outlet]:
            response = site.handle(article.path)
            if response.status == 200:
                pages.append(Page(site.name, site.abs(article.path), decode_html(response.body, None)))
        per_outlet.append(pages)
    return [page for group in zip(*per_outlet) for page in group]


def _text(html: bytes | str) -> str:
    return decode_html(html, None) if isinstance(html, bytes) else html


def generic_pages(pages_per_outlet: int) -> list[Page]:
    """Pages of the generic path: the redesign layout's article pages and every page of the independent sets
    (their non-articles included: rejecting them is work too)."""
    articles, rejects = independent_cases()
    independent = [Page(case.outlet, case.url, _text(case.html)) for case in articles]
    independent += [Page(case.outlet, case.url, _text(case.html)) for case in rejects]
    return replica_pages(pages_per_outlet, "redesign") + independent


GENERIC_PAGES = "pages of the generic path (redesign layout and independent sets)"


def ours(page: Page) -> None:
    with contextlib.suppress(NotAnArticle):  # a hard case of the replica that is not an article: the same work
        extract(page.html, page.url, outlets.get(page.outlet))


def plain_trafilatura(page: Page) -> None:
    """As `python -m crawler evaluate` runs it (crawler/evaluation.py)."""
    trafilatura.extract(page.html, url=page.url, include_comments=False)


def lxml_floor(page: Page) -> None:
    lxml.html.document_fromstring(page.html)


CONTENDERS: dict[str, Callable[[Page], None]] = {
    "ours (crawler.extraction.extract)": ours,
    "plain trafilatura (extract)": plain_trafilatura,
    "floor: lxml parse only": lxml_floor,
}


def measure(pages: list[Page]) -> list[ExtractionFigures]:
    """Every contender on every page, the order rotating per page; one warm-up pass first (imports, caches)."""
    names = list(CONTENDERS)
    for name in names:
        for page in pages[:8]:
            CONTENDERS[name](page)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for index, page in enumerate(pages):
        for name in names[index % len(names) :] + names[: index % len(names)]:
            started = time.thread_time()
            CONTENDERS[name](page)
            seconds[name].append(time.thread_time() - started)
    return [ExtractionFigures(name, seconds[name]) for name in names]


def table(figures: list[ExtractionFigures], pages: int, what: str = "replica article pages") -> str:
    ours_figures, plain = figures[0], figures[1]
    lines = [
        f"Extraction, {pages} {what}, CPU time per page (one run, side by side)",
        "",
        "| extractor | pages/s | ms/page p50 | ms/page p95 | time vs plain trafilatura |",
        "|---|---:|---:|---:|---:|",
    ]
    for figure in figures:
        ratio = plain.pages_per_second / figure.pages_per_second
        lines.append(
            f"| {figure.name} | {figure.pages_per_second:,.0f} | {figure.p50_ms:.2f} | {figure.p95_ms:.2f} "
            f"| {ratio:.2f} |"
        )
    floor = figures[2]
    speedup = ours_figures.pages_per_second / plain.pages_per_second
    lines += [
        "",
        f"ours is {speedup:.2f}x as fast as plain trafilatura (mean; p50 "
        f"{plain.p50_ms / ours_figures.p50_ms:.2f}x, p95 {plain.p95_ms / ours_figures.p95_ms:.2f}x) and "
        f"{floor.pages_per_second / ours_figures.pages_per_second:.1f}x the lxml parse floor's time "
        f"(issue 17 targets: 3x trafilatura on outlet pages, 2x on the generic path, p50 and p95)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages-per-outlet", type=int, default=DEFAULT_PAGES_PER_OUTLET)
    parser.add_argument("--quick", action="store_true", help="20 pages per outlet")
    args = parser.parse_args(argv)
    per_outlet = 20 if args.quick else args.pages_per_outlet
    print(machine())
    pages = replica_pages(per_outlet)
    print(table(measure(pages), len(pages)))
    print()
    generic = generic_pages(per_outlet)
    print(table(measure(generic), len(generic), GENERIC_PAGES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
