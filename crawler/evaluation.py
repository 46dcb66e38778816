"""Extraction quality, measured: our extractor and the generic extractors on the same pages, one markdown report.

Page sets (each page carries its own ground truth; nothing is compared with our own earlier output):

``seeds``     the five real seed pages, as the replica serves them, against ``tests/data/gold/*.json``;
``replica``   synthetic replica articles (hard cases included: short, photo, video, bulletin pages) against the
              replica's ground truth (``ReplicaArticle``);
``redesign``  the same articles rendered by the replica's ``redesign`` layout (a markup change no outlet rule
              was written for: the generic path must carry them);
``independent``  article pages of the four outlets written by engineers who saw neither the extractor nor the
              replica templates (``tests/data/independent/*/truth.json``), and their non-articles;
``zyte``      the 181 English pages of ``tests/data/benchmarks/zyte-article-extraction`` (its own ``articleBody``);
``non-articles``  listings, tag pages, soft 404s, radio/event/static pages of every outlet: must be rejected.

Text is scored with the benchmark's shingle metric (:mod:`crawler.metrics`) on lead + body (the text a
competitor returns is its whole output). A *noise leak* is a gold noise string (``gold.noise``,
``ReplicaArticle.gold_noise``) found in any text field; a *heading leak* is an output line that is one of the
page's noise strings or a known noise heading. Field accuracy (title, published date, author, category, captions)
is exact equality with the ground truth, ``None`` included (a date the page does not show must stay empty).

Competitors (optional, ``pip install .[eval]``): plain trafilatura (default and ``favor_precision``),
readability-lxml, newspaper4k, jusText. A missing one is reported as missing, never an error.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from crawler import outlets
from crawler.extraction import NotAnArticle, extract
from crawler.extraction.encoding import decode_html
from crawler.extraction.noise import heading_kind
from crawler.extraction.text import casefold, normalize
from crawler.metrics import CorpusScore, corpus_scores, shingle_scores
from crawler.outlet import Outlet

log = logging.getLogger(__name__)

SETS = ("seeds", "replica", "redesign", "independent", "zyte", "non-articles")
DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
"""The reference pages, in the source checkout (not in an installed package: evaluating is a developer's task):
``gold/`` (and the ``seeds/`` dumps it was made from), ``benchmarks/zyte-article-extraction/``, ``independent/``."""
INDEPENDENT = DATA / "independent"
DEFAULT_COUNT = 40
"""Replica articles per outlet (the hard cases sit at indexes below 35)."""
OURS = "ours"
FIELDS = ("title", "published", "author", "category", "captions")


# --- pages -------------------------------------------------------------------------------------------------------
@dataclass
class Case:
    """One article page and what it says."""

    set: str
    outlet: str
    url: str
    html: bytes | str
    text: str
    """Expected text: lead and body paragraphs, one per line (Zyte: ``articleBody``)."""
    fields: dict[str, object] | None = None
    """Expected field values (title, published, author, category, captions); a field missing from it is not
    known and not scored (Zyte: the title only), None when none is."""
    noise: list[str] = field(default_factory=list)
    kind: str | None = None
    """Hard case kind ("short", "photo", ...) or None."""
    language: str = "Vietnamese"


@dataclass
class NonArticleCase:
    outlet: str
    url: str
    html: bytes | str
    kind: str


def seed_cases(data: Path = DATA) -> list[Case]:
    from crawler.replica.pages import site

    cases = []
    for path in sorted((data / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        replica = site(gold["outlet"])
        article = next(a for a in replica.articles if a.seed in (path.name, gold["seed"], path.stem))
        cases.append(
            Case(
                "seeds",
                gold["outlet"],
                article.url,
                replica.handle(article.path).body,
                "\n".join([gold["lead"], *gold["body"]]),
                {
                    "title": gold["title"],
                    "published": gold.get("published"),
                    "author": gold["author"],
                    "category": gold.get("category"),
                    "captions": gold["captions"],
                },
                list(gold["noise"]),
            )
        )
    return cases


def replica_cases(layout: str = "standard", count: int = DEFAULT_COUNT, synthetic_only: bool = True) -> list[Case]:
    """The first ``count`` articles of every outlet's replica in ``layout`` (seeds left to :func:`seed_cases`
    in the standard layout)."""
    from crawler.replica.pages import site
    from crawler.replica.sites import outlet_names

    set_name = "replica" if layout == "standard" else layout
    cases = []
    for outlet in outlet_names():
        replica = site(outlet, layout, count)
        for article in replica.articles[:count]:
            if synthetic_only and article.is_seed:
                continue
            cases.append(
                Case(
                    set_name,
                    outlet,
                    article.url,
                    replica.render_article(article),
                    "\n".join([article.lead, *article.body]),
                    {
                        "title": article.title,
                        "published": article.published,
                        "author": article.author,
                        "category": article.category,
                        "captions": list(article.captions),
                    },
                    list(article.gold_noise),
                    getattr(article, "hard_case", None),
                )
            )
    return cases


#: A truth file may say "no value" with an empty string or list; the extractor says it with None (or []).
_NONE: dict[str, object] = {"captions": []}


def independent_cases(base: Path = INDEPENDENT) -> tuple[list[Case], list[NonArticleCase]]:
    """The pages of every ``base/*/truth.json``: articles with their truth, and the pages that are not articles."""
    articles: list[Case] = []
    rejects: list[NonArticleCase] = []
    for truth_file in sorted(base.glob("*/truth.json")):
        for item in json.loads(truth_file.read_text(encoding="utf-8")):
            html = (truth_file.parent / item["file"]).read_bytes()
            if not item["article"]:
                rejects.append(NonArticleCase(item["outlet"], item["url"], html, item.get("kind") or "independent"))
                continue
            articles.append(
                Case(
                    "independent",
                    item["outlet"],
                    item["url"],
                    html,
                    "\n".join([item["lead"], *item["body"]]),
                    {name: item.get(name) or _NONE.get(name) for name in FIELDS},
                    list(item.get("noise", [])),
                )
            )
    return articles, rejects


def zyte_cases(data: Path = DATA, limit: int | None = None) -> list[Case]:
    """The benchmark's pages and their ``articleBody``; with the headline each page prints over its article
    (``titles.json``, read off the pages for this repository: the benchmark has no title), the title is scored."""
    base = data / "benchmarks" / "zyte-article-extraction"
    truth = json.loads(gzip.decompress((base / "ground-truth.json.gz").read_bytes()))
    titles_file = base / "titles.json"
    titles = json.loads(titles_file.read_text(encoding="utf-8")) if titles_file.exists() else {}
    cases = []
    for key, item in list(truth.items())[:limit]:
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes())
        cases.append(
            Case(
                "zyte",
                "zyte",
                item["url"],
                html,
                item["articleBody"],
                {"title": titles[key]} if key in titles else None,
                language="English",
            )
        )
    return cases


def non_article_cases(count: int = DEFAULT_COUNT) -> list[NonArticleCase]:
    """Per outlet: its first listing page, its linked look-alikes (soft 404s, tag, radio, event, static pages),
    and a 404 page."""
    from crawler.replica.pages import site
    from crawler.replica.sites import outlet_names

    cases = []
    for outlet in outlet_names():
        description = outlets.get(outlet)
        replica = site(outlet, "standard", count)
        urls = [(description.absolute(description.listing_paths[0]), "listing")]
        urls += [(page.url, page.kind) for page in type(replica).non_articles(replica.articles)]
        urls.append((description.absolute("bai-viet-khong-ton-tai-123456.html"), "http_404"))
        seen = set()
        for url, kind in urls:
            if url in seen:
                continue
            seen.add(url)
            from crawler.replica.pages import page

            response = page(outlet, url, "standard", count)
            cases.append(NonArticleCase(outlet, url, response.body, kind))
    return cases


# --- extractors ----------------------------------------------------------------------------------------------------
@dataclass
class Output:
    """What an extractor returned for one page: its text and, for ours, the fields."""

    text: str
    texts: list[str] = field(default_factory=list)
    """Every text field (for noise leak checks)."""
    fields: dict[str, object] | None = None
    path: str | None = None
    rejected: str | None = None


def run_ours(case: Case | NonArticleCase, outlet: type[Outlet] | None = None) -> Output:
    """Our extractor on ``case``, with the rules of ``outlet`` (default: the registry's outlet of the case; none
    for the Zyte pages: the generic path). ``doctor``'s tests pass an outlet with learnt selectors."""
    outlet = outlet or outlets.find(case.outlet)
    try:
        article = extract(case.html, case.url, outlet)
    except NotAnArticle as error:
        return Output("", rejected=str(error))
    captions = [i.caption for i in article.images if i.caption]
    return Output(
        "\n".join(p for p in [article.lead, *article.body.split("\n\n")] if p),
        [
            article.title,
            article.lead,
            article.body,
            article.author or "",
            article.category or "",
            *article.tags,
            *captions,
        ],
        {
            "title": article.title,
            "published": article.published,
            "author": article.author,
            "category": article.category,
            "captions": captions,
        },
        article.extraction,
    )


def _text(html: bytes | str) -> str:
    return decode_html(html) if isinstance(html, bytes) else html


def _trafilatura(**options) -> Callable[[Case], str]:
    import trafilatura

    def run(case: Case) -> str:
        return trafilatura.extract(_text(case.html), url=case.url, include_comments=False, **options) or ""

    return run


def _readability() -> Callable[[Case], str]:
    import lxml.html
    from readability import Document

    from crawler.extraction.text import paragraphs

    def run(case: Case) -> str:
        summary = Document(_text(case.html)).summary(html_partial=True)
        return "\n".join(paragraphs(lxml.html.fromstring(summary))) if summary.strip() else ""

    return run


def _newspaper() -> Callable[[Case], str]:
    import newspaper

    def run(case: Case) -> str:
        article = newspaper.Article(
            case.url, language="vi" if case.language == "Vietnamese" else "en", fetch_images=False
        )
        article.download(input_html=_text(case.html))
        article.parse()
        return article.text or ""

    return run


def _justext() -> Callable[[Case], str]:
    import justext

    def run(case: Case) -> str:
        parts = justext.justext(_text(case.html), justext.get_stoplist(case.language))
        return "\n".join(p.text for p in parts if not p.is_boilerplate)

    return run


COMPETITORS: dict[str, Callable[[], Callable[[Case], str]]] = {
    "trafilatura": lambda: _trafilatura(),
    "trafilatura (favor_precision)": lambda: _trafilatura(favor_precision=True),
    "readability-lxml": _readability,
    "newspaper4k": _newspaper,
    "jusText": _justext,
}


def load_competitors(names: Iterable[str] | None = None) -> tuple[dict[str, Callable[[Case], str]], list[str]]:
    """The competitors that import, and the names of those that do not (optional dependencies)."""
    loaded, missing = {}, []
    for name in names if names is not None else COMPETITORS:
        try:
            loaded[name] = COMPETITORS[name]()
        except ImportError:
            missing.append(name)
    return loaded, missing


# --- scoring -------------------------------------------------------------------------------------------------------
@dataclass
class PageResult:
    case: Case
    extractor: str
    output: Output
    f1: float
    precision: float
    recall: float
    leaks: list[str]
    heading_leaks: list[str]
    wrong_fields: dict[str, tuple[object, object]]


@dataclass
class Group:
    """Scores of one extractor on one group of pages (a set, or a set and outlet)."""

    set: str
    outlet: str
    extractor: str
    score: CorpusScore
    leaks: int
    heading_leaks: int
    field_accuracy: dict[str, float | None]
    rejected: int
    generic: int
    pages: int


def score_page(case: Case, extractor: str, output: Output) -> PageResult:
    precision, recall, f1 = shingle_scores(output.text, case.text)
    texts = output.texts or [output.text]
    leaks = sorted({n for n in case.noise if n and any(n in t for t in texts)})
    noise_keys = {casefold(n) for n in case.noise if 0 < len(n) <= 60}
    lines = [normalize(line) for line in output.text.split("\n")]
    outlet = outlets.find(case.outlet)  # its own noise headings count too
    heading_leaks = [line for line in lines if line and (heading_kind(line, outlet) or casefold(line) in noise_keys)]
    wrong = {}
    truth = case.fields or {}
    known = [name for name in FIELDS if name in truth]
    if output.fields is not None:
        for name in known:
            if output.fields.get(name) != truth.get(name):
                wrong[name] = (output.fields.get(name), truth.get(name))
    elif extractor == OURS:  # rejected page: every field is wrong
        wrong = {name: (None, truth.get(name)) for name in known}
    return PageResult(case, extractor, output, f1, precision, recall, leaks, heading_leaks, wrong)


def group(results: Sequence[PageResult], set_name: str, outlet: str, extractor: str) -> Group:
    score = corpus_scores((r.output.text, r.case.text) for r in results)
    accuracy: dict[str, float | None] = {}
    for name in FIELDS:
        scored = [r for r in results if r.case.fields is not None and name in r.case.fields]
        if extractor != OURS or not scored:
            accuracy[name] = None
        else:
            accuracy[name] = sum(name not in r.wrong_fields for r in scored) / len(scored)
    return Group(
        set_name,
        outlet,
        extractor,
        score,
        sum(len(r.leaks) for r in results),
        sum(len(r.heading_leaks) for r in results),
        accuracy,
        sum(r.output.rejected is not None for r in results),
        sum(r.output.path == "generic" for r in results),
        len(results),
    )


@dataclass
class Evaluation:
    pages: list[PageResult]
    groups: list[Group]
    non_articles: list[tuple[NonArticleCase, Output]]
    missing: list[str]
    seconds: dict[str, float]
    sets: list[str]

    def find(self, set_name: str, extractor: str = OURS, outlet: str = "all") -> Group | None:
        return next((g for g in self.groups if (g.set, g.outlet, g.extractor) == (set_name, outlet, extractor)), None)


def evaluate(
    sets: Sequence[str] = SETS,
    data: Path = DATA,
    count: int = DEFAULT_COUNT,
    competitors: Iterable[str] | None = None,
    zyte_limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Run our extractor and the competitors on ``sets``."""
    say = progress or (lambda message: None)
    runners, missing = load_competitors(competitors)
    extractors: dict[str, Callable[[Case], Output]] = {OURS: run_ours}
    for name, runner in runners.items():
        extractors[name] = partial(_safe_text, runner)
    cases: dict[str, list[Case]] = {}
    if "seeds" in sets:
        cases["seeds"] = seed_cases(data)
    if "replica" in sets:
        cases["replica"] = replica_cases("standard", count)
    if "redesign" in sets:
        cases["redesign"] = replica_cases("redesign", count, synthetic_only=False)
    independent_rejects: list[NonArticleCase] = []
    if "independent" in sets:
        cases["independent"], independent_rejects = independent_cases(data / "independent")
    if "zyte" in sets:
        cases["zyte"] = zyte_cases(data, zyte_limit)

    pages: list[PageResult] = []
    groups: list[Group] = []
    seconds: dict[str, float] = {}
    for set_name, set_cases in cases.items():
        for name, run in extractors.items():
            say(f"{set_name}: {name} on {len(set_cases)} pages")
            started = time.perf_counter()
            results = [score_page(case, name, run(case)) for case in set_cases]
            seconds[f"{set_name}/{name}"] = time.perf_counter() - started
            pages.extend(results)
            groups.append(group(results, set_name, "all", name))
            outlets = sorted({c.outlet for c in set_cases})
            if len(outlets) > 1:
                for outlet in outlets:
                    groups.append(group([r for r in results if r.case.outlet == outlet], set_name, outlet, name))
    non_articles = [(case, run_ours(case)) for case in independent_rejects]
    if "non-articles" in sets:
        say("non-articles: ours")
        non_articles += [(case, run_ours(case)) for case in non_article_cases(count)]
    return Evaluation(
        pages,
        groups,
        non_articles,
        missing,
        seconds,
        list(cases) + (["non-articles"] if "non-articles" in sets else []),
    )


def _safe_text(runner: Callable[[Case], str], case: Case) -> Output:
    try:
        text = runner(case)
    except Exception as error:  # a competitor failing on one page scores 0 there, as in the benchmark
        log.debug("competitor failed on %s: %s", case.url, error)
        text = ""
    text = "\n".join(normalize(line) for line in (text or "").splitlines() if normalize(line))
    return Output(text)


# --- acceptance ----------------------------------------------------------------------------------------------------
@dataclass
class Check:
    name: str
    passed: bool
    detail: str


#: The Zyte benchmark's pages, and the F1 our generic path must reach on all of them (the issue's target: the best
#: reported extractors, rs_trafilatura and Zyte AutoExtract, score 0.970).
ZYTE_PAGES = 181
ZYTE_F1 = 0.975


#: Pages that are not articles and that our extractor still takes for one, each with why: reported in every
#: evaluation, and the only ones the acceptance check lets through.
KNOWN_ACCEPTED = {
    "https://baoquocte.vn/video": "a video hub whose featured video (headline, one-line description) reads as a "
    "short video article",
    "https://kinhtedothi.vn/video/": "a video hub whose featured video has a datelined one-line sapo, as a short "
    "video article does",
}


def acceptance(evaluation: Evaluation) -> list[Check]:
    """The issue's "done when" criteria, on the sets this evaluation ran."""
    checks: list[Check] = []
    outlets = sorted({group.outlet for group in evaluation.groups} - {"all"})
    for set_name in ("seeds", "replica", "independent"):
        for outlet in outlets:
            g = evaluation.find(set_name, OURS, outlet)
            if g is None:
                continue
            title, date = g.field_accuracy["title"], g.field_accuracy["published"]
            checks.append(
                Check(
                    f"{set_name} {outlet}: F1 ≥ 0.99, no noise leak, title and date 100%",
                    g.score.f1 >= 0.99 and g.leaks == 0 and title == 1.0 and date == 1.0,
                    f"F1 {g.score.f1:.4f}, leaks {g.leaks}, title {title:.0%}, date {date:.0%}",
                )
            )
    redesign = evaluation.find("redesign")
    if redesign is not None:
        best = max(
            (g for g in evaluation.groups if g.set == "redesign" and g.outlet == "all" and g.extractor != OURS),
            key=lambda g: g.score.f1,
            default=None,
        )
        checks.append(
            Check(
                "redesign: F1 ≥ 0.95, no leaked noise heading",
                redesign.score.f1 >= 0.95 and redesign.heading_leaks == 0,
                f"F1 {redesign.score.f1:.4f}, heading leaks {redesign.heading_leaks}",
            )
        )
        if best is not None:
            checks.append(
                Check(
                    "redesign: F1 above every generic extractor",
                    redesign.score.f1 > best.score.f1,
                    f"ours {redesign.score.f1:.4f} vs best {best.extractor} {best.score.f1:.4f}",
                )
            )
    zyte = evaluation.find("zyte")
    if zyte is not None and zyte.pages == ZYTE_PAGES:
        title = zyte.field_accuracy["title"]
        checks.append(
            Check(
                f"zyte: F1 ≥ {ZYTE_F1}, title accuracy reported",
                zyte.score.f1 >= ZYTE_F1,
                f"F1 {zyte.score.f1:.4f} (P {zyte.score.precision:.4f}, R {zyte.score.recall:.4f}), "
                f"title {'–' if title is None else f'{title:.1%}'}",
            )
        )
    for plain in (g for g in evaluation.groups if g.extractor == "trafilatura"):
        ours = evaluation.find(plain.set, OURS, plain.outlet)
        if ours is not None:
            checks.append(
                Check(
                    f"{plain.set} {plain.outlet}: F1 ≥ plain trafilatura",
                    ours.score.f1 >= plain.score.f1,
                    f"ours {ours.score.f1:.4f} vs trafilatura {plain.score.f1:.4f}",
                )
            )
    if evaluation.non_articles:
        accepted = [c.url for c, out in evaluation.non_articles if out.rejected is None]
        unexpected = [url for url in accepted if url not in KNOWN_ACCEPTED]
        checks.append(
            Check(
                "non-articles: every one rejected but the known misses",
                not unexpected,
                f"{len(evaluation.non_articles) - len(accepted)}/{len(evaluation.non_articles)} rejected"
                + (f"; accepted: {', '.join(accepted[:5])}" if accepted else ""),
            )
        )
    return checks


# --- report --------------------------------------------------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}" if value < 1 else "100%"


def main_table(evaluation: Evaluation) -> str:
    """Our extractor per set and outlet."""
    lines = [
        "| set | outlet | pages | P | R | F1 | noise leaks | heading leaks | title | date | author | category "
        "| captions | generic path | rejected |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for g in evaluation.groups:
        if g.extractor != OURS:
            continue
        a = g.field_accuracy
        outlet = "**all**" if g.outlet == "all" else g.outlet
        lines.append(
            f"| {g.set} | {outlet} | {g.pages} | {g.score.precision:.4f} | {g.score.recall:.4f} | "
            f"**{g.score.f1:.4f}** | {g.leaks} | {g.heading_leaks} | {_pct(a['title'])} | "
            f"{_pct(a['published'])} | {_pct(a['author'])} | {_pct(a['category'])} | "
            f"{_pct(a['captions'])} | {g.generic} | {g.rejected} |"
        )
    return "\n".join(lines)


def comparison_table(evaluation: Evaluation) -> str:
    sets = [s for s in evaluation.sets if s != "non-articles"]
    extractors = list(dict.fromkeys(g.extractor for g in evaluation.groups))
    lines = [
        "| extractor | "
        + " | ".join(f"{s} F1 (P / R)" for s in sets)
        + " | "
        + " | ".join(f"{s} leaks" for s in sets if s != "zyte")
        + " |",
        "|---|" + "---:|" * (len(sets) + len([s for s in sets if s != "zyte"])),
    ]
    for name in extractors:
        cells = []
        for s in sets:
            g = evaluation.find(s, name)
            cells.append(
                "–"
                if g is None
                else f"{'**' if name == OURS else ''}{g.score.f1:.4f}"
                f"{'**' if name == OURS else ''} ({g.score.precision:.3f} / {g.score.recall:.3f})"
            )
        leak_cells = []
        for s in sets:
            if s == "zyte":
                continue
            g = evaluation.find(s, name)
            leak_cells.append("–" if g is None else f"{g.leaks} ({g.heading_leaks} headings)")
        lines.append(f"| {name} | " + " | ".join(cells) + " | " + " | ".join(leak_cells) + " |")
    return "\n".join(lines)


#: A page counts as below trafilatura when its F1 is lower by more than this (shingle noise on equal texts).
BEHIND_MARGIN = 0.001


def report(evaluation: Evaluation, command: str = "python -m crawler evaluate") -> str:
    checks = acceptance(evaluation)
    out = [
        "# Extraction evaluation",
        "",
        f"Command: `{command}`. Metric: shingle precision/recall/F1 of the Zyte benchmark (4-token shingles, "
        "P and R averaged over pages) on lead + body (Zyte: `articleBody`). Noise leaks: gold noise strings found in "
        "any text field. Heading leaks: output lines that are a page noise string or a noise heading. Field "
        "accuracy: exact equality with the ground truth (an absent date must stay absent).",
        "",
        "## Acceptance",
        "",
        *[f"- {'PASS' if c.passed else '**FAIL**'} — {c.name}: {c.detail}" for c in checks],
        "",
        "## Our extractor, per set and outlet",
        "",
        main_table(evaluation),
        "",
        "## Same pages, every extractor",
        "",
        comparison_table(evaluation),
        "",
    ]
    if evaluation.missing:
        out += [f"Not installed (`pip install .[eval]`), not scored: {', '.join(evaluation.missing)}.", ""]
    kinds = sorted({r.case.kind for r in evaluation.pages if r.case.kind and r.extractor == OURS})
    if kinds:
        out += [
            "## Hard cases (ours)",
            "",
            "| set | kind | pages | F1 (min) | leaks | fields wrong |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for set_name in evaluation.sets:
            for kind in kinds:
                rs = [
                    r
                    for r in evaluation.pages
                    if r.extractor == OURS and r.case.set == set_name and r.case.kind == kind
                ]
                if rs:
                    score = corpus_scores((r.output.text, r.case.text) for r in rs)
                    out.append(
                        f"| {set_name} | {kind} | {len(rs)} | {score.f1:.4f} ({min(r.f1 for r in rs):.3f}) "
                        f"| {sum(len(r.leaks) for r in rs)} | {sum(len(r.wrong_fields) for r in rs)} |"
                    )
        out.append("")
    if evaluation.non_articles:
        out += [
            "## Pages that are not articles (ours)",
            "",
            "| outlet | kind | pages | rejected | reasons | accepted (wrongly) |",
            "|---|---|---:|---:|---|---|",
        ]
        by_kind: dict[tuple[str, str], list[tuple[NonArticleCase, Output]]] = {}
        for case, output in evaluation.non_articles:
            by_kind.setdefault((case.outlet, case.kind), []).append((case, output))
        for (outlet, kind), items in by_kind.items():
            reasons = sorted({o.rejected.split(":")[0] for _, o in items if o.rejected})
            accepted = [c.url for c, o in items if not o.rejected]
            out.append(
                f"| {outlet} | {kind} | {len(items)} | {len(items) - len(accepted)} | {', '.join(reasons)} | "
                f"{' '.join(accepted) or '–'} |"
            )
        out.append("")
        known = [
            (c.url, KNOWN_ACCEPTED[c.url])
            for c, o in evaluation.non_articles
            if not o.rejected and c.url in KNOWN_ACCEPTED
        ]
        if known:
            out += ["Known misses (taken for articles, and why):", "", *(f"- {url}: {why}" for url, why in known), ""]
    problems = [
        r
        for r in evaluation.pages
        if r.extractor == OURS
        and r.case.set != "zyte"
        and (r.f1 < 0.99 or r.leaks or r.heading_leaks or r.wrong_fields)
    ]
    out += ["## Our pages with a problem (Vietnamese sets)", ""]
    if problems:
        out += ["| set | URL | F1 | problem |", "|---|---|---:|---|"]
        for r in problems[:60]:
            what = [f"leak {n!r}" for n in r.leaks[:3]] + [f"heading {h!r}" for h in r.heading_leaks[:3]]
            what += [f"{k}: {got!r} ≠ {want!r}" for k, (got, want) in r.wrong_fields.items()]
            if r.output.rejected:
                what.insert(0, f"rejected ({r.output.rejected})")
            out.append(f"| {r.case.set} | {r.case.url} | {r.f1:.3f} | {_escape('; '.join(what))[:400]} |")
    else:
        out.append("None.")
    zyte = sorted((r for r in evaluation.pages if r.extractor == OURS and r.case.set == "zyte"), key=lambda r: r.f1)
    if zyte:
        out += ["", "## Zyte: our ten weakest pages", "", "| URL | P | R | F1 | note |", "|---|---:|---:|---:|---|"]
        for r in zyte[:10]:
            out.append(
                f"| {r.case.url} | {r.precision:.3f} | {r.recall:.3f} | {r.f1:.3f} | "
                f"{_escape(r.output.rejected or '')} |"
            )
    plain = {(r.case.set, r.case.url): r for r in evaluation.pages if r.extractor == "trafilatura"}
    behind = sorted(
        (
            (r, plain[r.case.set, r.case.url])
            for r in evaluation.pages
            if r.extractor == OURS
            and (r.case.set, r.case.url) in plain
            and r.f1 < plain[r.case.set, r.case.url].f1 - BEHIND_MARGIN
        ),
        key=lambda pair: pair[0].f1 - pair[1].f1,
    )
    if plain:
        out += ["", f"## Pages where ours is below plain trafilatura ({len(behind)})", ""]
        if behind:
            out += ["| set | URL | ours P / R / F1 | trafilatura P / R / F1 |", "|---|---|---|---|"]
            out += [
                f"| {r.case.set} | {r.case.url} | {r.precision:.3f} / {r.recall:.3f} / {r.f1:.3f} | "
                f"{t.precision:.3f} / {t.recall:.3f} / {t.f1:.3f} |"
                for r, t in behind
            ]
        else:
            out.append("None.")
    out += ["", "## Timing", "", ", ".join(f"{k} {v:.1f}s" for k, v in evaluation.seconds.items()), ""]
    return "\n".join(out)


def _escape(text: str) -> str:
    return re.sub(r"\|", "\\|", text.replace("\n", " "))
