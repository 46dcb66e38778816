"""``python -m crawler stats``: what the corpus holds and what the last run did.

Per outlet: articles stored, new and updated in the last run, failure records and the failure rate (failed URLs
over failed URLs plus articles), near-duplicates, last crawl time; then articles per day and outlet for the
``--days`` calendar days ending on the latest publication date, and articles per month and outlet over the whole
span. The date charts count dated articles only (publication date, Vietnam time): an article whose page states no
date has the day it was first stored as its ``article_date``, which says when it was crawled, not when it was
written, and would stretch the charts to today. They are counted apart (``undated``), and the date range of each
outlet is that of its dated articles.

"The last run" of an outlet is its latest row in ``crawl_runs`` (the run log of ``python -m crawler crawl`` and
the demo), whose ``new``, ``updated`` and ``failed`` counts are used as recorded; a database without a run log
falls back to the latest UTC day anything was crawled (new: ``first_seen`` that day; updated: ``updated`` that
day). :func:`corpus_stats` returns everything as a dict (``--json``), which ``report`` renders as HTML.
"""

from __future__ import annotations

import argparse
import json

import sqlite_utils

from crawler.corpus.filters import (
    ALL_ARTICLES,
    ArticleFilter,
    add_filter_arguments,
    article_date_sql,
    article_filter,
    where,
)
from crawler.migrations import schema_version

#: SQL condition: the article states its publication date (see the module docstring), a real calendar day: not a
#: value another tool wrote into the column ("", "2026-02-30"). ``date()`` alone keeps a 30th of February; through
#: ``julianday()`` it becomes the 2nd of March, and differs.
DATED = "coalesce(date(julianday(substr(a.published, 1, 10))) = substr(a.published, 1, 10), 0)"


def _last_runs(db: sqlite_utils.Database) -> dict[str, dict]:
    """outlet -> its latest ``crawl_runs`` row (empty when nothing has logged a run)."""
    return {
        row["outlet"]: row
        for row in db.query(
            "SELECT * FROM crawl_runs r WHERE id = (SELECT id FROM crawl_runs WHERE outlet = r.outlet "
            "ORDER BY started DESC, id DESC LIMIT 1)"
        )
    }


def corpus_stats(db: sqlite_utils.Database, selected: ArticleFilter = ALL_ARTICLES, days: int = 14) -> dict:
    conditions, params = where(selected, "a")
    runs = _last_runs(db)
    latest = db.execute(
        "SELECT max(t) FROM (SELECT max(last_crawled) AS t FROM articles UNION ALL SELECT max(last_seen) FROM failures)"
    ).fetchone()[0]
    # Without a run log, "the last run" is the last UTC day anything was crawled.
    day = (latest or "")[:10]
    window = {"run_start": day, "run_end": day + "T99"}
    outlets: dict[str, dict] = {}

    def entry_for(outlet: str) -> dict:
        return outlets.setdefault(
            outlet,
            {
                "outlet": outlet,
                "articles": 0,
                "undated": 0,
                "new": 0,
                "updated": 0,
                "near_duplicates": 0,
                "last_crawled": None,
                "first_date": None,
                "last_date": None,
                "failures": 0,
                "failures_in_run": 0,
                "failure_reasons": {},
                "last_run": None,
            },
        )

    for row in db.query(
        f"""SELECT a.outlet, count(*) AS articles,
                   coalesce(sum(a.first_seen >= :run_start AND a.first_seen <= :run_end), 0) AS new,
                   coalesce(sum(a.updated >= :run_start AND a.updated <= :run_end), 0) AS updated,
                   count(a.cluster_id) AS near_duplicates, max(a.last_crawled) AS last_crawled,
                   sum(NOT ({DATED})) AS undated,
                   min(CASE WHEN {DATED} THEN {article_date_sql("a")} END) AS first_date,
                   max(CASE WHEN {DATED} THEN {article_date_sql("a")} END) AS last_date
            FROM articles a WHERE {conditions} GROUP BY a.outlet""",
        {**params, **window},
    ):
        entry_for(row["outlet"]).update(row)
    for row in db.query(
        "SELECT outlet, reason, count(*) AS n, sum(last_seen >= :run_start AND last_seen <= :run_end) AS in_run "
        "FROM failures GROUP BY outlet, reason",
        window,
    ):
        if selected.outlets and row["outlet"] not in selected.outlets:
            continue
        entry = entry_for(row["outlet"])
        entry["failures"] += row["n"]
        entry["failures_in_run"] += row["in_run"] or 0
        entry["failure_reasons"][row["reason"]] = row["n"]
    for outlet, run in runs.items():
        if outlet not in outlets:
            continue
        entry = outlets[outlet]
        # The run log counts what each run did; it is the authority on "new" and "updated" in the last run.
        entry["new"], entry["updated"] = run.get("new") or 0, run.get("updated") or 0
        entry["failures_in_run"] = run.get("failed") or 0
        entry["last_run"] = {
            key: run.get(key) for key in ("id", "started", "finished", "status", "status_reason", "mode")
        }
        entry["last_run"]["health"] = json.loads(run["health"]) if run.get("health") else None
    for entry in outlets.values():
        attempted = entry["articles"] + entry["failures"]
        entry["failure_rate"] = round(entry["failures"] / attempted, 4) if attempted else 0.0

    per_day: dict[str, dict[str, int]] = {}
    for row in db.query(
        f"""SELECT {article_date_sql("a")} AS day, a.outlet, count(*) AS n FROM articles a
            WHERE {conditions} AND {DATED} AND {article_date_sql("a")} > (
                SELECT date(max({article_date_sql("a")}), '-' || :days || ' days') FROM articles a
                WHERE {conditions} AND {DATED})
            GROUP BY day, a.outlet ORDER BY day""",
        {**params, "days": days},
    ):
        per_day.setdefault(row["day"], {})[row["outlet"]] = row["n"]
    per_month: dict[str, dict[str, int]] = {}
    for row in db.query(
        f"""SELECT substr({article_date_sql("a")}, 1, 7) AS month, a.outlet, count(*) AS n FROM articles a
            WHERE {conditions} AND {DATED} GROUP BY month, a.outlet ORDER BY month""",
        params,
    ):
        per_month.setdefault(row["month"], {})[row["outlet"]] = row["n"]
    clusters = db.execute(
        "SELECT count(DISTINCT cluster_id), count(cluster_id) FROM articles WHERE cluster_id IS NOT NULL"
    ).fetchone()
    ordered = sorted(outlets)
    if runs:
        # From the earliest start to the latest end of the outlets' last runs (the latest start and the latest end
        # could belong to different runs, a start after the end); no end while one of them has none (running or
        # crashed).
        finished = [run.get("finished") for run in runs.values()]
        last_run = {
            "source": "crawl_runs",
            "started": min(run["started"] for run in runs.values()),
            "finished": max(time for time in finished if time) if all(finished) else None,
        }
    else:
        last_run = {
            "source": "last crawl day" if latest else "no crawl yet",
            "started": day or None,
            "finished": latest,
        }
    return {
        "database": str(db.conn.execute("PRAGMA database_list").fetchone()[2]),
        "schema_version": schema_version(db),
        "articles": sum(entry["articles"] for entry in outlets.values()),
        "undated": sum(entry["undated"] for entry in outlets.values()),
        "clusters": clusters[0],
        "clustered_articles": clusters[1],
        "pages_archived": db.execute("SELECT count(*) FROM pages").fetchone()[0],
        "last_run": last_run,
        "outlets": [outlets[name] for name in ordered],
        "per_day": per_day,
        "per_month": per_month,
    }


def format_stats(stats: dict) -> str:
    run = stats["last_run"]
    lines = [
        f"database: {stats['database']} (schema version {stats['schema_version']})",
        f"articles: {stats['articles']}; near-duplicate clusters: {stats['clusters']} "
        f"({stats['clustered_articles']} articles); raw pages archived: {stats['pages_archived']}",
        f"last run: {run['started'] or '-'} .. {run['finished'] or '-'} ({run['source']})",
        "",
    ]
    header = (
        f"{'outlet':<12} {'articles':>8} {'new':>5} {'updated':>7} {'failures':>8} {'fail rate':>9} "
        f"{'near-dup':>8}  {'dates':<23} last crawled (UTC)"
    )
    lines += [header, "-" * len(header)]
    for entry in stats["outlets"]:
        dates = f"{entry['first_date'] or '-'}..{entry['last_date'] or '-'}"
        lines.append(
            f"{entry['outlet']:<12} {entry['articles']:>8} {entry['new']:>5} {entry['updated']:>7} "
            f"{entry['failures']:>8} {entry['failure_rate']:>9.1%} {entry['near_duplicates']:>8}  {dates:<23} "
            f"{entry['last_crawled'] or '-'}"
        )
    lines.append(
        "new, updated: in the last run; failures: failed URLs recorded (all runs); "
        "fail rate: failures / (articles + failures)"
    )
    reasons = [
        f"{entry['outlet']}: " + ", ".join(f"{reason} {n}" for reason, n in sorted(entry["failure_reasons"].items()))
        for entry in stats["outlets"]
        if entry["failure_reasons"]
    ]
    if reasons:
        lines += ["", "failures by reason"] + [f"  {line}" for line in reasons]
    health = [line for entry in stats["outlets"] if (line := health_line(entry))]
    if health:
        lines += [
            "",
            "last run's health (discovery channels: article links found; outlet rules: share of article "
            "pages where the outlet's selectors matched)",
        ] + [f"  {line}" for line in health]
    outlets = [entry["outlet"] for entry in stats["outlets"]]
    undated = f"; {stats['undated']} undated articles left out" if stats["undated"] else ""
    for title, counts_by in (("articles per day", stats["per_day"]), ("articles per month", stats["per_month"])):
        if counts_by:
            lines += ["", f"{title} (publication date, Vietnam time{undated})"]
            head = f"{'date':<10} " + " ".join(f"{name:>11}" for name in outlets) + f" {'total':>6}"
            lines += [head, "-" * len(head)]
            for period, counts in sorted(counts_by.items(), reverse=True):
                lines.append(
                    f"{period:<10} "
                    + " ".join(f"{counts.get(name, 0):>11}" for name in outlets)
                    + f" {sum(counts.values()):>6}"
                )
    return "\n".join(lines)


def health_line(entry: dict) -> str | None:
    """One line of an outlet's last run health: status (and why, when not ``ok``), the article links each
    discovery channel found (with its failed pages), the share of pages the outlet's rules matched per field.
    None without a recorded run health."""
    run = entry.get("last_run") or {}
    health = run.get("health")
    if not health:
        return None
    status = run["status"] + (f" ({run['status_reason']})" if run.get("status_reason") else "")
    channels = ", ".join(
        f"{name} {counts['article_links']}" + (f" ({counts['failed']} failed)" if counts["failed"] else "")
        for name, counts in sorted(health["channels"].items())
    )
    rules = ", ".join(f"{name} {share:.0%}" for name, share in sorted(health["outlet_rules"].items()))
    return f"{entry['outlet']}: {status}; links: {channels or '-'}; outlet rules: {rules or '-'}"


# --- command ------------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    add_filter_arguments(parser)
    parser.add_argument("--days", type=int, default=14, help="days in the per-day table (default: 14)")
    parser.add_argument("--json", action="store_true", help="print the statistics as JSON")


def run(args: argparse.Namespace) -> int:
    from crawler.corpus.commands import open_for_reading

    with open_for_reading(args) as db:
        stats = corpus_stats(db, article_filter(args), days=args.days)
    print(json.dumps(stats, ensure_ascii=False, indent=2) if args.json else format_stats(stats))
    return 0
