"""A run's health: what its stats say of the fit of the outlet's rules to the site, and the exit codes that say how
runs went. No Scrapy: the ``crawl`` command reads it without loading the crawler.

The spider counts, per discovery channel (``sitemap``, ``feed``, ``home``, ``listing``: the configured listings,
``navigation``: the sections found in the home page's menus), ``discovery/<channel>/pages`` fetched,
``discovery/<channel>/failed`` and ``discovery/<channel>/article_links`` (article links its pages hold, stored
articles included; a link on two pages counts twice); ``extraction/articles`` (article pages extracted) and, per
extraction field the outlet has selectors for, ``extraction/outlet_rules/<field>`` (pages where they matched);
``discovery/listings_missed`` (configured listings that failed or linked no article). :func:`run_health` sums them
up for ``crawl_runs.health``; :func:`degradation` says when a run that fetched pages is ``degraded``. The keys are
named in :mod:`crawler.stats_keys`.
"""

from __future__ import annotations

from typing import Any

from crawler import stats_keys

#: Statuses of a run that crawled what it found to its end (a degraded run stored what the generic path read).
COMPLETE_STATUSES = {"ok", "degraded"}
#: Exit codes of the commands that run crawls (``python -m crawler crawl``, ``scrapy crawl``, ``demo``); 2 is a bad
#: command line.
EXIT_OK, EXIT_FAILED, EXIT_DEGRADED = 0, 1, 3
#: A run is ``degraded`` when the outlet's selectors missed on more than this share of its article pages.
RULES_MISSED_SHARE = 0.5


def degradation(stats: dict[str, Any]) -> str | None:
    """Why a run that fetched pages shows that the outlet's rules no longer fit the site, or None: its selectors
    missed on most article pages (more than :data:`RULES_MISSED_SHARE`: the generic extractor read them), its
    discovery pages answered but none linked an article (every article link is counted, stored ones included). A
    configured listing that fails while the home page's navigation finds the sections leaves the run ``ok``: it
    stored what the site has, and its health (``listing`` and ``navigation`` channels) and ``doctor`` show the
    listing paths to fix."""
    articles = stats.get(stats_keys.EXTRACTED_ARTICLES, 0)
    missed = articles - stats.get(stats_keys.outlet_rules_matched("body"), 0)
    if articles and missed > articles * RULES_MISSED_SHARE:
        return f"outlet rules missed on {missed} of {articles} article pages (the generic extractor read them)"
    fetched = stats.get(stats_keys.DISCOVERY_FETCHED, 0)
    channels = run_health(stats)["channels"]
    if fetched and not any(counts["article_links"] for counts in channels.values()):
        answered = ", ".join(
            f"{name} {counts['pages']}" for name, counts in sorted(channels.items()) if counts["pages"]
        )
        return f"discovery found no article link on the {fetched} pages it fetched ({answered})"
    return None


def run_health(stats: dict[str, Any]) -> dict[str, Any]:
    """What a run's stats say of the fit of the outlet's rules: ``channels`` (per discovery channel, the counts of
    :data:`~crawler.stats_keys.CHANNEL_COUNTS`), ``articles`` (article pages extracted) and ``outlet_rules`` (per
    extraction field the outlet has selectors for, the share of those pages where they matched)."""
    channels: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if not key.startswith(stats_keys.DISCOVERY_PREFIX):
            continue
        channel, _, count = key.removeprefix(stats_keys.DISCOVERY_PREFIX).partition("/")
        if count in stats_keys.CHANNEL_COUNTS:
            channels.setdefault(channel, dict.fromkeys(stats_keys.CHANNEL_COUNTS, 0))[count] = value
    articles = stats.get(stats_keys.EXTRACTED_ARTICLES, 0)
    shares = (
        {
            key.removeprefix(stats_keys.OUTLET_RULES_PREFIX): round(value / articles, 4)
            for key, value in stats.items()
            if key.startswith(stats_keys.OUTLET_RULES_PREFIX)
        }
        if articles
        else {}
    )
    return {"channels": channels, "articles": articles, "outlet_rules": shares}


def exit_code(statuses: list[str | None]) -> int:
    """The exit code of a command that ran crawls whose statuses (None: the run left none) are ``statuses``:
    :data:`EXIT_FAILED` when one did not run to its end (failed, crashed, interrupted, none), else
    :data:`EXIT_DEGRADED` when one is ``degraded``, else :data:`EXIT_OK`."""
    if any(status not in COMPLETE_STATUSES for status in statuses):
        return EXIT_FAILED
    return EXIT_DEGRADED if "degraded" in statuses else EXIT_OK
