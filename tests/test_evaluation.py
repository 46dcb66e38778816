"""The evaluation harness and its acceptance thresholds: these tests fail when F1 drops or a leak appears.

Our extractor is always scored (a failure to import it is an error, never a skip). The optional competitors
(``pip install .[eval]``) are not needed: plain trafilatura, the one the Zyte criterion compares with, is a runtime
dependency of the crawler.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import evaluation, outlets
from crawler.evaluation import OURS

ROOT = Path(__file__).resolve().parents[1]
OUTLETS = outlets.names()


def test_reference_pages_are_in_the_repository():
    """A fresh clone evaluates and tests with what it carries (tests/data), never a sibling checkout."""
    assert evaluation.DATA.resolve().is_relative_to(ROOT)
    assert len(evaluation.seed_cases()) == 5
    assert len(evaluation.zyte_cases(limit=3)) == 3
    assert (evaluation.DATA / "benchmarks" / "zyte-article-extraction" / "LICENSE").is_file()


@pytest.fixture(scope="module")
def vietnamese():
    """Seeds, standard replica (hard cases included), redesign and non-articles, our extractor and plain
    trafilatura (a few seconds)."""
    return evaluation.evaluate(
        ("seeds", "replica", "redesign", "independent", "non-articles"), competitors=["trafilatura"]
    )


def test_independent_pages_f1_leaks_and_fields(vietnamese):
    """Pages written without sight of the extractor or the replicas (tests/data/independent): the outlet rules
    or the generic path must still give the article and nothing else."""
    articles, non_articles = evaluation.independent_cases()
    for outlet in OUTLETS:
        group = vietnamese.find("independent", OURS, outlet)
        assert group is not None and group.pages == sum(1 for case in articles if case.outlet == outlet) >= 28, outlet
        assert group.score.f1 >= 0.99, (outlet, str(group.score))
        assert group.leaks == 0 and group.heading_leaks == 0, outlet
        for name in ("title", "published", "author", "category"):
            assert group.field_accuracy[name] == 1.0, (outlet, name)
    assert len(non_articles) == 34
    checked = {case.url: output for case, output in vietnamese.non_articles}
    accepted = [case.url for case in non_articles if not checked[case.url].rejected]
    assert set(accepted) <= set(evaluation.KNOWN_ACCEPTED), "a page that is not an article was accepted"


@pytest.mark.parametrize("set_name", ["seeds", "replica"])
def test_outlet_path_f1_leaks_title_and_date(vietnamese, set_name):
    for outlet in OUTLETS:
        group = vietnamese.find(set_name, OURS, outlet)
        assert group is not None and group.pages, (set_name, outlet)
        assert group.score.f1 >= 0.99, (set_name, outlet, str(group.score))
        assert group.leaks == 0 and group.heading_leaks == 0, (set_name, outlet)
        assert group.field_accuracy["title"] == 1.0, (set_name, outlet)
        assert group.field_accuracy["published"] == 1.0, (set_name, outlet)
        assert group.generic == 0 and group.rejected == 0, (set_name, outlet)


def test_hard_cases_are_covered_and_extracted(vietnamese):
    hard = [r for r in vietnamese.pages if r.extractor == OURS and r.case.kind]
    assert {r.case.kind for r in hard} >= {"short", "photo", "video", "bulletin"}
    for result in hard:
        assert result.output.rejected is None, (result.case.url, result.output.rejected)
        assert result.f1 >= 0.99 and not result.leaks, (result.case.url, result.f1, result.leaks)


def test_redesign_generic_path_beats_generic_extractors(vietnamese):
    ours = vietnamese.find("redesign")
    assert ours.pages >= 100
    assert ours.generic == ours.pages  # the outlet rules miss every redesigned page, as intended
    assert ours.score.f1 >= 0.95, str(ours.score)
    assert ours.heading_leaks == 0 and ours.leaks == 0
    for group in vietnamese.groups:
        if group.set == "redesign" and group.outlet == "all" and group.extractor != OURS:
            assert ours.score.f1 > group.score.f1, (group.extractor, str(group.score))


def test_non_articles_are_rejected(vietnamese):
    assert {case.kind for case, _ in vietnamese.non_articles} >= {"listing", "soft_404", "http_404"}
    accepted = [case.url for case, output in vietnamese.non_articles if output.rejected is None]
    assert set(accepted) <= set(evaluation.KNOWN_ACCEPTED), accepted
    assert len(evaluation.KNOWN_ACCEPTED) <= 2  # the known misses stay few: fix one before adding another


def test_acceptance_checks_all_pass(vietnamese):
    failed = [c for c in evaluation.acceptance(vietnamese) if not c.passed]
    assert not failed, failed


def test_zyte_generic_path_reaches_its_target_and_beats_plain_trafilatura():
    """The acceptance on the whole benchmark (181 pages, about 20 s): our generic path reaches the issue's F1
    target, above plain trafilatura, and its titles are scored against the headlines read off the pages."""
    result = evaluation.evaluate(("zyte",), competitors=["trafilatura"])
    ours, plain = result.find("zyte"), result.find("zyte", "trafilatura")
    assert ours.pages == plain.pages == 181
    assert ours.score.f1 >= evaluation.ZYTE_F1, str(ours.score)
    assert ours.score.f1 >= plain.score.f1, (str(ours.score), str(plain.score))
    assert ours.field_accuracy["title"] is not None and ours.field_accuracy["author"] is None  # only titles known
    failed = [c for c in evaluation.acceptance(result) if not c.passed]
    assert not failed, failed


def test_scoring_counts_leaks_and_wrong_fields():
    case = evaluation.Case(
        "replica",
        "clo",
        "https://congluan.vn/a-post1.html",
        b"",
        "Một hai ba bốn năm sáu",
        {"title": "T", "published": None, "author": None, "category": None, "captions": []},
        ["Tin mới nhất", "Hotline: 0123"],
    )
    output = evaluation.Output(
        "Một hai ba bốn năm sáu\nTin mới nhất",
        ["T", "Một hai ba bốn năm sáu\nTin mới nhất"],
        {"title": "T", "published": "2026-01-01T00:00:00+07:00", "author": None, "category": None, "captions": []},
    )
    result = evaluation.score_page(case, OURS, output)
    assert result.leaks == ["Tin mới nhất"]
    assert result.heading_leaks == ["Tin mới nhất"]
    assert set(result.wrong_fields) == {"published"}


def test_only_the_fields_a_truth_knows_are_scored():
    """The Zyte pages know their headline only: the title is scored, the other fields are not known (not wrong)."""
    fields = {
        "title": "Council approves the bridge",
        "published": "2025-03-12T09:15:00+07:00",
        "author": "Ann Lee",
        "category": "City",
        "captions": ["A caption"],
    }
    text = "one two three four"
    right = evaluation.Case("zyte", "zyte", "https://example.org/a", b"", text, {"title": fields["title"]})
    wrong = evaluation.Case("zyte", "zyte", "https://example.org/b", b"", text, {"title": "Other"})
    results = [evaluation.score_page(case, OURS, evaluation.Output(text, fields=fields)) for case in (right, wrong)]
    assert [r.wrong_fields for r in results] == [{}, {"title": (fields["title"], "Other")}]
    accuracy = evaluation.group(results, "zyte", "all", OURS).field_accuracy
    assert accuracy == {"title": 0.5, "published": None, "author": None, "category": None, "captions": None}


def test_missing_competitor_is_reported_not_raised(monkeypatch):
    def missing():
        raise ImportError("not installed")

    monkeypatch.setitem(evaluation.COMPETITORS, "absent", missing)
    loaded, absent = evaluation.load_competitors(["trafilatura", "absent"])
    assert list(loaded) == ["trafilatura"] and absent == ["absent"]


# --- the commands ---------------------------------------------------------------------------------------------------
def run_module(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], cwd=cwd, input=stdin, capture_output=True, timeout=300
    )


@pytest.fixture(scope="module")
def saved_page(tmp_path_factory):
    from crawler.replica.pages import site

    replica = site("clo")
    article = next(a for a in replica.articles if not a.is_seed and a.images)
    path = tmp_path_factory.mktemp("pages") / "article.html"
    path.write_bytes(replica.handle(article.path).body)
    return path, article


def test_extract_prints_the_article_as_json(saved_page):
    path, expected = saved_page
    done = run_module("extract", str(path))  # no --outlet, no --url: the page's canonical URL says both
    assert done.returncode == 0, done.stderr.decode()
    record = json.loads(done.stdout)
    assert set(record) >= {
        "outlet",
        "url",
        "native_id",
        "title",
        "lead",
        "body",
        "author",
        "published",
        "category",
        "tags",
        "images",
        "extraction",
    }
    assert record["outlet"] == "clo" and record["url"] == expected.url and record["extraction"] == "outlet"
    assert record["title"] == expected.title and record["lead"] == expected.lead
    assert record["body"] == "\n\n".join(expected.body)
    assert record["published"] == expected.published and record["author"] == expected.author
    assert [(i["url"], i["caption"]) for i in record["images"]] == [tuple(i) for i in expected.images]


def test_extract_with_outlet_and_url(saved_page):
    path, expected = saved_page
    done = run_module(
        "extract", "-", "--outlet", "clo", "--url", expected.url + "?utm_source=x", stdin=path.read_bytes()
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["url"] == expected.url


def test_extract_rejects_a_page_that_is_not_an_article(tmp_path):
    from crawler.replica.pages import page

    listing = tmp_path / "listing.html"
    listing.write_bytes(page("clo", "https://congluan.vn/thoi-su.html").body)
    done = run_module("extract", str(listing), "--url", "https://congluan.vn/thoi-su.html")
    assert done.returncode == 3
    assert not done.stdout
    assert b"not an article" in done.stderr


def test_extract_unreadable_page(tmp_path):
    done = run_module("extract", str(tmp_path / "missing.html"))
    assert done.returncode == 1 and b"cannot read" in done.stderr


def test_evaluate_command_writes_the_report(tmp_path):
    report = tmp_path / "eval.md"
    done = run_module("evaluate", "--sets", "seeds,non-articles", "--no-competitors", "--report", str(report))
    assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()
    text = report.read_text(encoding="utf-8")
    assert "| seeds | **all** | 5 |" in text and "| seeds | antv | 1 |" in text
    assert "## Acceptance" in text and "FAIL" not in text


def test_report_lists_every_page_where_ours_is_below_plain_trafilatura(vietnamese):
    text = evaluation.report(vietnamese)
    section = text.split("## Pages where ours is below plain trafilatura", 1)[1].split("\n## ", 1)[0]
    plain = {(r.case.set, r.case.url): r.f1 for r in vietnamese.pages if r.extractor == "trafilatura"}
    for r in vietnamese.pages:
        if r.extractor == OURS and (r.case.set, r.case.url) in plain:
            below = r.f1 < plain[r.case.set, r.case.url] - evaluation.BEHIND_MARGIN
            assert (f"| {r.case.set} | {r.case.url} |" in section) == below, r.case.url
