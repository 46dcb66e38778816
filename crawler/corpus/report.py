"""``python -m crawler report``: one self-contained HTML page about the corpus.

Charts are inline SVG drawn here (no script, no stylesheet or font from elsewhere, no network), so the file opens
anywhere, offline, and can be mailed or archived as is: articles per day per outlet for the last ``--days`` days
with dated articles and articles per month per outlet over the whole span (grouped bars, publication date; undated
articles are counted apart, see crawler/corpus/stats.py), failure rate per outlet (bars), then the per-outlet table
and the near-duplicate clusters. The data is the same as
``python -m crawler stats`` (:func:`crawler.corpus.stats.corpus_stats`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, timedelta
from html import escape
from pathlib import Path

import sqlite_utils

from crawler import outlets
from crawler.corpus.filters import ALL_ARTICLES, ArticleFilter, add_filter_arguments, article_filter
from crawler.corpus.neardup import clusters
from crawler.corpus.stats import corpus_stats, health_line
from crawler.outlet import Outlet


def colour(outlet: str) -> str:
    """The outlet's colour in the charts (its unit's ``report_colour``; grey for an outlet no longer registered)."""
    return (outlets.find(outlet) or Outlet).report_colour


def display_name(outlet: str) -> str:
    """The outlet's human name (its unit's ``display_name``; the stored name for one no longer registered)."""
    found = outlets.find(outlet)
    return found.display_name if found is not None else outlet


def _days(per_day: dict[str, dict[str, int]]) -> list[str]:
    """Every day from the first to the last with articles (empty days drawn as gaps)."""
    if not per_day:
        return []
    first, last = date.fromisoformat(min(per_day)), date.fromisoformat(max(per_day))
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def _months(per_month: dict[str, dict[str, int]]) -> list[str]:
    """Every month (``YYYY-MM``) from the first to the last with articles (empty months drawn as gaps)."""
    if not per_month:
        return []
    (year, month), (last_year, last_month) = (map(int, key.split("-")) for key in (min(per_month), max(per_month)))
    months = []
    while (year, month) <= (last_year, last_month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def articles_chart(per_day: dict[str, dict[str, int]], outlets: list[str]) -> str:
    return _periods_chart(
        "articles-chart", "Articles per day per outlet", _days(per_day), per_day, outlets, label=lambda day: day[5:]
    )


def months_chart(per_month: dict[str, dict[str, int]], outlets: list[str]) -> str:
    return _periods_chart(
        "months-chart",
        "Articles per month per outlet",
        _months(per_month),
        per_month,
        outlets,
        label=lambda month: month,
    )


def _periods_chart(
    chart_id: str,
    title: str,
    periods: list[str],
    counts: dict[str, dict[str, int]],
    outlets: list[str],
    label: Callable[[str], str],
) -> str:
    """Grouped bars: for each period (day or month, in order, gaps included), one bar per outlet."""
    width, height, left, bottom, top = 960, 320, 48, 56, 16
    plot_w, plot_h = width - left - 16, height - bottom - top
    peak = max([n for by_outlet in counts.values() for n in by_outlet.values()] or [1])
    slot = plot_w / max(len(periods), 1)
    bar = max(1.0, (slot * 0.8) / max(len(outlets), 1))
    parts = [
        f'<svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{title}">'
    ]
    for step in range(5):  # horizontal grid and y labels
        value = peak * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value:.0f}</text>'
        )
    label_every = max(1, len(periods) // 12)
    for i, period in enumerate(periods):
        x0 = left + i * slot + slot * 0.1
        for j, outlet in enumerate(outlets):
            n = counts.get(period, {}).get(outlet, 0)
            if n:
                h = plot_h * n / peak
                parts.append(
                    f'<rect class="bar" data-outlet="{escape(outlet)}" data-period="{escape(period)}" '
                    f'x="{x0 + j * bar:.1f}" '
                    f'y="{top + plot_h - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{colour(outlet)}"><title>{escape(outlet)} {escape(period)}: {n}</title></rect>'
                )
        if i % label_every == 0:
            parts.append(
                f'<text x="{left + i * slot + slot / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'font-size="11">{label(period)}</text>'
            )
    parts.append(f'<line x1="{left}" x2="{width - 16}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    for j, outlet in enumerate(outlets):  # legend
        x = left + j * 200
        parts.append(
            f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{colour(outlet)}"/>'
            f'<text x="{x + 18}" y="{height - 8}" font-size="12">{escape(display_name(outlet))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


#: Full scales of the failure-rate axis; the chart uses the smallest that holds every outlet's rate.
RATE_SCALES = (0.05, 0.1, 0.25, 0.5, 1.0)
#: Failure bars are the outlet's colour at this opacity (the report test looks for the blend on white).
FAILURE_BAR_OPACITY = 0.55


def failures_chart(outlets: list[dict]) -> str:
    """Horizontal bars: each outlet's failure rate on a percentage axis starting at 0 (a fixed scale, so that
    3.9% is drawn as 3.9% of something, not as the longest bar)."""
    width, row, left, right, top = 960, 28, 180, 150, 8
    height = top + row * len(outlets) + 22
    scale = next(limit for limit in RATE_SCALES if limit >= max([entry["failure_rate"] for entry in outlets] + [0]))
    plot_w = width - left - right
    parts = [
        f'<svg id="failures-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Failure rate per outlet">'
    ]
    for step in range(6):  # vertical grid and x labels: fifths of a scale are whole percentages
        x = left + plot_w * step / 5
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{height - 18}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" font-size="11">'
            f"{scale * step / 5:.0%}</text>"
        )
    for i, entry in enumerate(outlets):
        y = top + i * row
        w = plot_w * entry["failure_rate"] / scale
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(display_name(entry['outlet']))}</text>"
            f'<rect class="bar" data-outlet="{escape(entry["outlet"])}" x="{left}" y="{y}" width="{max(w, 1):.1f}" '
            f'height="20" '
            f'fill="{colour(entry["outlet"])}" fill-opacity="{FAILURE_BAR_OPACITY}"/>'
            f'<text x="{left + w + 6:.1f}" y="{y + 15}" font-size="12">{entry["failure_rate"]:.1%} '
            f"({entry['failures']} of {entry['failures'] + entry['articles']})</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_report(db: sqlite_utils.Database, selected: ArticleFilter = ALL_ARTICLES, days: int = 30) -> str:
    stats = corpus_stats(db, selected, days=days)
    outlets = [entry["outlet"] for entry in stats["outlets"]]
    rows = "".join(
        f"<tr><td>{escape(display_name(e['outlet']))}</td><td>{e['articles']}</td><td>{e['new']}</td>"
        f"<td>{e['updated']}</td><td>{e['failures']}</td><td>{e['failure_rate']:.1%}</td>"
        f"<td>{e['near_duplicates']}</td><td>{escape(e['first_date'] or '-')} … {escape(e['last_date'] or '-')}</td>"
        f"<td>{escape(e['last_crawled'] or '-')}</td></tr>"
        for e in stats["outlets"]
    )
    reasons = (
        "".join(
            f"<li><b>{escape(e['outlet'])}</b>: "
            + ", ".join(f"{escape(r)} {n}" for r, n in sorted(e["failure_reasons"].items()))
            + "</li>"
            for e in stats["outlets"]
            if e["failure_reasons"]
        )
        or "<li>none</li>"
    )
    cluster_items = (
        "".join(
            "<li><ul>"
            + "".join(
                f'<li><span class="tag" style="background:{colour(m["outlet"])}">{escape(m["outlet"])}'
                f'</span> <a href="{escape(m["url"])}">{escape(m["title"])}</a></li>'
                for m in members
            )
            + "</ul></li>"
            for members in clusters(db)[:20]
        )
        or "<li>none</li>"
    )
    health = (
        "".join(f"<li>{escape(line)}</li>" for e in stats["outlets"] if (line := health_line(e))) or "<li>none</li>"
    )
    run = stats["last_run"]
    undated = (
        f'; <span id="undated">{stats["undated"]}</span> articles whose page states no date are left out'
        if stats["undated"]
        else ""
    )
    last_run = f"{escape(str(run['started'] or '-'))} … {escape(str(run['finished'] or '-'))}"
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Corpus report — vn-news-crawler</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1000px; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 17px; margin-top: 28px; }}
table {{ border-collapse: collapse; font-size: 13px; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: right; }}
td:first-child, th:first-child, td:last-child {{ text-align: left; }}
.tag {{ color: #fff; border-radius: 3px; padding: 0 4px; font-size: 11px; }}
.meta {{ color: #555; font-size: 13px; }} ol > li {{ margin-bottom: 8px; }}
</style></head>
<body>
<h1>Corpus report</h1>
<p class="meta">Database <code>{escape(stats["database"])}</code>, schema version {stats["schema_version"]}:
{stats["articles"]} articles, {stats["clusters"]} near-duplicate clusters ({stats["clustered_articles"]} articles),
{stats["pages_archived"]} raw pages archived. Last run: {last_run}
({escape(run["source"])}).</p>
<h2>Articles per month per outlet</h2>
<p class="meta">The whole corpus by publication month (Vietnam time){undated}.</p>
{months_chart(stats["per_month"], outlets)}
<h2>Articles per day per outlet</h2>
<p class="meta">Publication date (Vietnam time); the {days} days up to the latest publication date{undated}.</p>
{articles_chart(stats["per_day"], outlets)}
<h2>Failure rate per outlet</h2>
<p class="meta">Failed URLs (all runs) over failed URLs plus stored articles.</p>
{failures_chart(stats["outlets"])}
<h2>Per outlet</h2>
<table id="outlets"><tr><th>outlet</th><th>articles</th><th>new (last run)</th><th>updated (last run)</th>
<th>failures</th><th>failure rate</th><th>near-duplicates</th><th>dates (published)</th><th>last crawled (UTC)</th></tr>
{rows}</table>
<h2>Last run's health per outlet</h2>
<p class="meta">Status of each outlet's last run (why, when not ok); article links found per discovery channel;
share of article pages where the outlet's selectors matched, per field.</p>
<ul id="health">{health}</ul>
<h2>Failures by reason</h2><ul>{reasons}</ul>
<h2>Near-duplicate clusters (wire copy)</h2><ol>{cluster_items}</ol>
</body></html>
"""


# --- command ------------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    parser.add_argument(
        "--output",
        "-o",
        metavar="PATH",
        default="output/report.html",
        help="HTML file to write (default: output/report.html)",
    )
    parser.add_argument("--days", type=int, default=30, help="days in the chart (default: 30)")
    add_filter_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from crawler.corpus.commands import open_for_reading

    with open_for_reading(args) as db:
        html = render_report(db, article_filter(args), days=args.days)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    print(f"report written to {output}", file=sys.stderr)
    return 0
