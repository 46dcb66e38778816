"""``python -m crawler extract PAGE`` and ``python -m crawler evaluate``: extraction from the command line.

``extract`` reads one saved HTML page and prints the article as one JSON object with the database's fields
(``body``: paragraphs joined by a blank line; ``images``: a list of ``{url, caption}``). The outlet is
``--outlet``, else the one owning ``--url``'s host, else the host of the page's canonical / ``og:url``, else the
outlet whose article markup the page has. A page that is not an article prints the reason on stderr and exits 3.

``evaluate`` scores our extractor and the generic extractors on the gold sets (:mod:`crawler.evaluation`), writes
the markdown report and exits 1 when an acceptance criterion fails.

Heavy imports (trafilatura, the replica) happen inside the commands, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from crawler import outlets

NOT_AN_ARTICLE = 3
"""Exit code of ``extract`` for a page that is not an article (2 is argparse's usage error)."""
DEFAULT_REPORT = Path("output") / "evaluation.md"


def add_commands(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser(
        "extract",
        help="extract the article of a saved HTML page and print it as JSON",
        description="Read a saved HTML page and print the article as one JSON object with the database's fields. "
        f"Exit code {NOT_AN_ARTICLE} and a message on stderr for a page that is not an article.",
    )
    extract.add_argument("page", metavar="PAGE", help="saved HTML file ('-' reads stdin)")
    extract.add_argument(
        "--outlet",
        choices=outlets.names(),
        metavar="OUTLET",
        help=f"outlet name ({', '.join(outlets.names())}); default: inferred from the URL, the "
        "page's canonical URL or its markup",
    )
    extract.add_argument("--url", help="the URL the page was fetched from (default: the page's canonical URL)")
    extract.add_argument(
        "--charset",
        metavar="LABEL",
        help="the charset of the HTTP Content-Type header the page was served with, if known "
        "(the page is decoded exactly as the crawl decodes it)",
    )
    extract.set_defaults(run=run_extract)

    evaluate = commands.add_parser(
        "evaluate",
        help="score extraction against the gold sets and the generic extractors; write a markdown report",
        description="Score our extractor and plain trafilatura, readability-lxml, newspaper4k and jusText (when "
        "installed: pip install .[eval]) on the seed gold pages, the replica articles (standard and redesigned "
        "layouts) and the Zyte benchmark; check the non-article pages are rejected. Exit code 1 when an acceptance "
        "criterion fails.",
    )
    evaluate.add_argument(
        "--report", type=Path, default=DEFAULT_REPORT, help=f"markdown report to write (default: {DEFAULT_REPORT})"
    )
    evaluate.add_argument(
        "--data",
        type=Path,
        default=None,
        help="the reference pages (gold/, benchmarks/zyte-article-extraction/, independent/; "
        "default: tests/data of the source checkout)",
    )
    evaluate.add_argument(
        "--sets",
        default=None,
        help="comma-separated page sets (default: all of seeds,replica,redesign,zyte,non-articles)",
    )
    evaluate.add_argument(
        "--articles",
        metavar="N",
        type=int,
        default=None,
        help="replica articles per outlet (default: 40, which covers every hard case)",
    )
    evaluate.add_argument("--no-competitors", action="store_true", help="score our extractor only")
    evaluate.set_defaults(run=run_evaluate)


# --- extract --------------------------------------------------------------------------------------------------------
def run_extract(args: argparse.Namespace) -> int:
    from crawler.extraction import NotAnArticle, extract
    from crawler.extraction.encoding import UndecodableError, decode_html
    from crawler.extraction.outlet_inference import infer_outlet

    try:
        page = sys.stdin.buffer.read() if args.page == "-" else Path(args.page).read_bytes()
    except OSError as error:
        print(f"extract: cannot read {args.page}: {error.strerror}", file=sys.stderr)
        return 1
    try:
        # The crawl's decoding (spider.parse_article), so that what this prints is what a crawl would store.
        html = decode_html(page, args.charset)
    except UndecodableError as error:
        print(
            f"extract: {args.page} is undecodable ({error}); a crawl records such a page as 'undecodable'",
            file=sys.stderr,
        )
        return 1
    outlet, url = infer_outlet(html, args.url, outlets.get(args.outlet) if args.outlet else None)
    if url is None:
        print("extract: no --url given and the page names no canonical URL; pass --url", file=sys.stderr)
        return 2
    try:
        article = extract(html, url, outlet)
    except NotAnArticle as error:
        print(
            f"extract: not an article ({error.reason}): {error.detail if error.detail is not None else url}",
            file=sys.stderr,
        )
        return NOT_AN_ARTICLE
    record = {
        "outlet": article.outlet,
        "url": article.url,
        "native_id": article.native_id,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "author": article.author,
        "published": article.published,
        "category": article.category,
        "tags": article.tags,
        "images": [dataclasses.asdict(image) for image in article.images],
        "extraction": article.extraction,
    }
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0


# --- evaluate -------------------------------------------------------------------------------------------------------
def run_evaluate(args: argparse.Namespace) -> int:
    from crawler import evaluation

    sets = tuple(s.strip() for s in args.sets.split(",") if s.strip()) if args.sets else evaluation.SETS
    unknown = [s for s in sets if s not in evaluation.SETS]
    if unknown:
        print(f"evaluate: unknown set(s) {', '.join(unknown)}; known: {', '.join(evaluation.SETS)}", file=sys.stderr)
        return 2
    data = args.data or evaluation.DATA
    if any(s in sets for s in ("seeds", "zyte", "independent")) and not (data / "gold").is_dir():
        print(
            f"evaluate: no reference pages in {data}: run it from a source checkout (git clone), or pass --data",
            file=sys.stderr,
        )
        return 2
    result = evaluation.evaluate(
        sets,
        data,
        args.articles or evaluation.DEFAULT_COUNT,
        [] if args.no_competitors else None,
        progress=lambda message: print(f"  {message}", file=sys.stderr),
    )
    command = (
        "python -m crawler evaluate " + " ".join(sys.argv[2:])
        if sys.argv[1:2] == ["evaluate"]
        else "python -m crawler evaluate"
    )
    text = evaluation.report(result, command.strip())
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(text, encoding="utf-8")
    checks = evaluation.acceptance(result)
    print(evaluation.main_table(result))
    print()
    print(evaluation.comparison_table(result))
    print()
    for check in checks:
        print(f"{'PASS' if check.passed else 'FAIL'}  {check.name}: {check.detail}")
    if result.missing:
        print(f"not installed, not scored: {', '.join(result.missing)} (pip install .[eval])")
    print(f"report: {args.report}")
    return 0 if all(check.passed for check in checks) else 1
