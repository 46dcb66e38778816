"""``python -m crawler doctor [OUTLET...|--all] [--replica URL] [--articles N] [--json]``: the report and exit code.

Exit codes: 0 every outlet examined is healthy, 3 at least one is degraded (none broken), 4 at least one is broken,
1 the doctor could not run (the replica does not answer), 2 a bad command line.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any
from urllib.parse import urlsplit

from crawler import outlets
from crawler.doctor.checkup import BROKEN, DEGRADED, HEALTHY, VERDICTS, Checkup, DoctorOptions, examine
from crawler.doctor.fetch import Fetcher, FetchOptions, ReplicaUnreachable

EXIT_CODES = {HEALTHY: 0, DEGRADED: 3, BROKEN: 4}
EXIT_UNUSABLE, EXIT_USAGE = 1, 2


def add_parser(commands: Any) -> None:
    from crawler.cli import add_outlet_arguments, positive_int

    doctor = commands.add_parser(
        "doctor",
        help="first-contact check of outlets: discovery channels, selectors, a verdict and the lines to change",
        description="Fetch each outlet's robots.txt, sitemaps, feeds, home page, listings and a few sample articles "
        "(politely: the crawler's User-Agent, robots.txt obeyed, a delay, bounded) and report what answered, which "
        "selectors matched, selectors learnt from the pages where they miss, and a verdict. Exit code 0 healthy, "
        "3 degraded, 4 broken, 1 when the doctor cannot run, 2 for a bad command line.",
    )
    add_outlet_arguments(doctor)
    doctor.add_argument("--replica", metavar="URL", help="examine a replica server at URL instead of the live sites")
    doctor.add_argument(
        "--articles",
        metavar="N",
        type=positive_int,
        default=DoctorOptions.articles,
        help=f"sample articles per outlet (default: {DoctorOptions.articles})",
    )
    doctor.add_argument("--json", action="store_true", help="one JSON object for machines instead of the report")
    doctor.set_defaults(run=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    from crawler.cli import chosen_outlets

    if (chosen := chosen_outlets(args, "doctor")) is None:
        return EXIT_USAGE
    if args.replica and (urlsplit(args.replica).scheme != "http" or not urlsplit(args.replica).hostname):
        print(
            f"doctor: --replica must be an http:// address (http://127.0.0.1:8800), not {args.replica!r}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = DoctorOptions(articles=args.articles)
    try:
        checkups = diagnose(chosen, options, fetch_options(args.replica is not None, args.articles), args.replica)
    except ReplicaUnreachable as error:
        print(f"doctor: {error}; start it with `python -m crawler replica` or fix --replica", file=sys.stderr)
        return EXIT_UNUSABLE
    print(as_json(checkups) if args.json else report(checkups, args.replica))
    return exit_code(checkups)


def fetch_options(replica: bool, articles: int) -> FetchOptions:
    """The crawler's User-Agent, and its delay unless against a replica (``crawl --replica`` switches it off)."""
    from crawler.cli import REPLICA_SETTINGS, project_settings
    from crawler.politeness import user_agent

    settings = project_settings()
    delay = REPLICA_SETTINGS["DOWNLOAD_DELAY"] if replica else settings.getfloat("DOWNLOAD_DELAY")
    return FetchOptions(
        user_agent=user_agent(settings),
        delay=delay,
        timeout=settings.getfloat("DOWNLOAD_TIMEOUT"),
        max_bytes=settings.getint("DOWNLOAD_MAXSIZE"),
        max_pages=FetchOptions.max_pages + articles,
        robots_max_bytes=settings.getint("ROBOTSTXT_MAX_SIZE"),
    )


def diagnose(
    names: list[str], options: DoctorOptions, fetching: FetchOptions, replica_url: str | None = None
) -> list[Checkup]:
    """The checkup of each named outlet, one after the other."""
    return [examine(outlets.get(name), Fetcher(outlets.get(name), fetching, replica_url), options) for name in names]


def exit_code(checkups: list[Checkup]) -> int:
    return max(EXIT_CODES[checkup.verdict] for checkup in checkups)


def as_json(checkups: list[Checkup]) -> str:
    def outlet(checkup: Checkup) -> dict:
        data = dataclasses.asdict(checkup)
        data["suggestions"] = [{**dataclasses.asdict(s), "assignment": s.assignment} for s in checkup.suggestions]
        return data

    return json.dumps(
        {"outlets": [outlet(c) for c in checkups], "verdict": max((c.verdict for c in checkups), key=VERDICTS.index)},
        ensure_ascii=False,
        indent=2,
    )


def report(checkups: list[Checkup], replica_url: str | None) -> str:
    return "\n\n".join(_outlet_report(c, replica_url) for c in checkups)


def _outlet_report(checkup: Checkup, replica_url: str | None) -> str:
    where = f" (replica {replica_url})" if replica_url else ""
    lines = [f"{checkup.outlet}: {checkup.verdict.upper()}{where}, {checkup.requests} requests", "  channels:"]
    for channel in checkup.channels:
        links = f"{channel.article_links} article links" if channel.kind != "robots.txt" else ""
        note = f" ({channel.note})" if channel.note else ""
        lines.append(f"    {channel.kind:<10} {channel.outcome:<18} {links:<18} {channel.url}{note}")
    if checkup.samples:
        articles = [s for s in checkup.samples if s.extraction is not None]
        generic = sum(s.extraction == "generic" for s in articles)
        lines.append(
            f"  samples: {len(checkup.samples)} fetched, {len(articles)} articles "
            f"({len(articles) - generic} read by the outlet's selectors, {generic} by the generic path)"
        )
        for sample in checkup.samples:
            if sample.extraction is None:
                lines.append(f"    {sample.url}: {sample.not_article or sample.outcome}")
    if checkup.fields:
        lines.append("  fields (selector: samples):")
        for usage in checkup.fields:
            parts = [f"{selector}: {count}" for selector, count in usage.selectors.items()]
            parts += [f"generic: {usage.generic}"] if usage.generic else []
            parts += [f"none: {usage.empty}"] if usage.empty else []
            lines.append(f"    {usage.field:<10} {', '.join(parts)}")
    if checkup.reasons:
        lines.append(f"  why {checkup.verdict}:")
        for reason in checkup.reasons:
            pointer = ""
            if reason.attribute:
                pointer = (
                    f" -> {checkup.unit}:{reason.line} {reason.attribute}"
                    if reason.line
                    else f" -> {checkup.unit}: add {reason.attribute}"
                )
            lines.append(f"    - {reason.text}{pointer}")
    if checkup.listing_paths:
        lines.append(
            f"  the home page's navigation links these sections (a crawl walks them when a configured listing "
            f"misses); change {checkup.unit}:"
        )
        line_number = checkup.listing_paths_line
        lines.append(f"    line {line_number}:" if line_number else "    add to the class:")
        lines.append(f"        {checkup.listing_paths}")
    if checkup.suggestions:
        lines.append(f"  learnt from the samples, verified by extracting them again; change {checkup.unit}:")
        for suggestion in sorted(checkup.suggestions, key=lambda s: s.line or 0):
            lines.append(f"    line {suggestion.line}:" if suggestion.line else "    add to the class:")
            lines.append(f"        {suggestion.assignment}")
            lines.append(
                f"        # supplied the {suggestion.field} on {suggestion.supplied} of {suggestion.samples} samples"
            )
    return "\n".join(lines)
