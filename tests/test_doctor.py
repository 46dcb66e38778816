"""``python -m crawler doctor``: the first-contact check, against the replicas (standard and redesigned layouts), a
replica with a wrong listing, a site whose robots.txt is unavailable, and bad command lines.

The selectors the doctor learns on the redesigned replica are judged by the replica's ground truth
(crawler/evaluation.py), not by what the doctor itself says about them."""

from __future__ import annotations

import inspect
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import ClassVar

import pytest
from local_http import serving  # tests/: pytest puts it on sys.path

from crawler import outlets
from crawler.cli import main, project_settings
from crawler.doctor.checkup import BROKEN, DEGRADED, HEALTHY, DoctorOptions, examine
from crawler.doctor.command import EXIT_CODES, diagnose, fetch_options
from crawler.doctor.fetch import Fetcher
from crawler.doctor.suggest import patched
from crawler.evaluation import OURS, replica_cases, run_ours, score_page
from crawler.extraction import explain, extract
from crawler.replica.server import ReplicaServer

ARTICLES = 20
"""Replica articles per outlet."""
SAMPLES = 4
"""Sample articles the doctor reads per outlet: enough to learn from, few enough to stay fast."""
REDESIGN_PAGES = 40
"""Redesigned pages per outlet the learnt selectors are judged on (the replica's hard cases sit below 35)."""


@pytest.fixture(scope="module")
def standard_replica():
    with ReplicaServer(articles_per_outlet=ARTICLES) as server:
        yield server


@pytest.fixture(scope="module")
def redesign_replica():
    with ReplicaServer(articles_per_outlet=REDESIGN_PAGES, layout="redesign") as server:
        yield server


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    try:
        code = main(["doctor", *arguments])
    except SystemExit as exit:  # argparse's usage errors
        code = exit.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_standard_replica_is_four_healthy_outlets(standard_replica, capsys):
    code, out, _err = run(capsys, "--all", "--replica", standard_replica.url, "--articles", str(SAMPLES), "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["verdict"] == HEALTHY
    assert sorted(o["outlet"] for o in report["outlets"]) == sorted(outlets.names())
    for outlet in report["outlets"]:
        assert outlet["verdict"] == HEALTHY, outlet["reasons"]
        assert outlet["reasons"] == [] and outlet["suggestions"] == []
        assert [s["extraction"] for s in outlet["samples"]] == ["outlet"] * SAMPLES
        kinds = [c["kind"] for c in outlet["channels"]]
        description = outlets.get(outlet["outlet"])
        assert kinds.count("listing") == len(description.listing_paths)
        assert kinds.count("feed") == len(description.feed_paths)
        assert all(c["outcome"] == "200" for c in outlet["channels"])
        assert all(c["article_links"] > 0 for c in outlet["channels"] if c["kind"] != "robots.txt")
        body = next(f for f in outlet["fields"] if f["field"] == "body")
        assert body["selectors"] == {description.body_selectors[0]: SAMPLES} and body["generic"] == 0
    # politely: each site's robots.txt first, and every request through the replica with the live Host
    first_path = {}
    for host, path, _status in standard_replica.access_log:
        first_path.setdefault(host, path)
    assert first_path == {outlet.host(): "/robots.txt" for outlet in outlets.registry()}


def test_human_report_names_channels_fields_and_verdict(standard_replica, capsys):
    code, out, _ = run(capsys, "clo", "--replica", standard_replica.url, "--articles", "2")
    assert code == 0
    assert out.startswith("clo: HEALTHY")
    assert "https://congluan.vn/rss/home.rss" in out and "https://congluan.vn/thoi-su.html" in out
    assert "body       div.article__body: 2" in out


@pytest.mark.parametrize("name", outlets.names())
def test_redesign_is_degraded_and_learnt_selectors_restore_the_outlet_path(redesign_replica, name, capsys):
    code, out, err = run(capsys, name, "--replica", redesign_replica.url, "--articles", str(SAMPLES), "--json")
    assert code == EXIT_CODES[DEGRADED], err
    (report,) = json.loads(out)["outlets"]
    assert report["verdict"] == DEGRADED
    outlet = outlets.get(name)
    body_reason = next(r for r in report["reasons"] if r["attribute"] == "body_selectors")
    assert body_reason["line"] == _line_of(outlet, "body_selectors")
    learnt = {s["attribute"]: tuple(s["selectors"]) for s in report["suggestions"]}
    assert "body_selectors" in learnt
    assert all(s["assignment"].startswith(f"{s['attribute']} = (") for s in report["suggestions"])
    assert all(s["line"] == _line_of(outlet, s["attribute"]) for s in report["suggestions"])

    # the suggestions pasted into the unit: every redesigned page, not only the samples, read by the outlet path
    fixed = type(outlet.__name__, (outlet,), dict(learnt))
    cases = [case for case in replica_cases("redesign", REDESIGN_PAGES, synthetic_only=False) if case.outlet == name]
    assert len(cases) >= REDESIGN_PAGES - 5
    for case in cases:
        output = run_ours(case, fixed)
        result = score_page(case, OURS, output)
        assert output.path == "outlet", case.url
        assert round(result.f1, 3) == 1.0, (case.url, result.f1)
        assert result.leaks == [] and result.heading_leaks == [], case.url


def test_suggestions_apply_as_the_report_prints_them(redesign_replica):
    """The class the doctor verifies with is the outlet with exactly the printed assignments."""
    (checkup,) = diagnose(["clo"], DoctorOptions(articles=SAMPLES), fetch_options(True, SAMPLES), redesign_replica.url)
    fixed = patched(outlets.get("clo"), checkup.suggestions)
    namespace: dict = {}
    for suggestion in checkup.suggestions:
        exec(suggestion.assignment, {}, namespace)
    assert {name: getattr(fixed, name) for name in namespace} == namespace
    assert fixed.name == "clo" and fixed.listing_paths == outlets.get("clo").listing_paths


class WrongListings(outlets.get("clo")):
    # a section the site moved, and the search page, which the replica's robots.txt disallows
    listing_paths = ("thoi-su.html", "chuyen-muc-da-doi.html", "tim-kiem")


def test_failing_listings_make_the_outlet_degraded_and_name_their_line(standard_replica):
    checkup = examine(
        WrongListings, Fetcher(WrongListings, fetch_options(True, 2), standard_replica.url), DoctorOptions(articles=2)
    )
    assert checkup.verdict == DEGRADED
    listings = {c.url.removeprefix("https://congluan.vn/"): c for c in checkup.channels if c.kind == "listing"}
    assert listings["thoi-su.html"].outcome == "200" and listings["thoi-su.html"].article_links > 0
    assert (listings["chuyen-muc-da-doi.html"].outcome, listings["chuyen-muc-da-doi.html"].article_links) == (
        "http_404",
        0,
    )
    assert listings["tim-kiem"].outcome == "robots_disallowed"
    assert not any(path.startswith("/tim-kiem") for _host, path, _status in standard_replica.access_log)
    assert [(r.attribute, r.line) for r in checkup.reasons] == [
        ("listing_paths", _line_of(WrongListings, "listing_paths"))
    ] * 2
    assert "chuyen-muc-da-doi.html failed: http_404" in checkup.reasons[0].text
    assert "tim-kiem failed: robots_disallowed" in checkup.reasons[1].text


@pytest.mark.parametrize("name", outlets.names())
def test_explain_names_the_selector_of_each_field(name):
    """extraction.explain: the article extract() gives, and the outlet selector behind each field, or none
    where the generic path read it."""
    outlet = outlets.get(name)
    (standard,) = [c for c in replica_cases("standard", 3) if c.outlet == name][:1]
    (redesign,) = [c for c in replica_cases("redesign", 3) if c.outlet == name][:1]
    explained = explain(standard.html, standard.url, outlet)
    assert explained.article == extract(standard.html, standard.url, outlet)
    assert explained.selectors["body"] == outlet.body_selectors[0]
    assert explained.selectors["title"] == outlet.title_selectors[0]
    redesigned = explain(redesign.html, redesign.url, outlet)
    assert redesigned.article.extraction == "generic" and "body" not in redesigned.selectors


class Unavailable(BaseHTTPRequestHandler):
    """A front server answering 503 to everything: robots.txt unavailable, so nothing may be fetched."""

    requests: ClassVar[list[tuple[str, str | None, str | None]]] = []
    """(path, Host, User-Agent) of each request."""

    def do_GET(self):
        self.requests.append((self.path, self.headers.get("Host"), self.headers.get("User-Agent")))
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_unavailable_robots_txt_is_broken_and_nothing_else_is_fetched(capsys):
    with serving(Unavailable) as url:
        code, out, _ = run(capsys, "antv", "--replica", url, "--json")
    assert code == EXIT_CODES[BROKEN] == 4
    (report,) = json.loads(out)["outlets"]
    assert report["verdict"] == BROKEN
    assert [c["kind"] for c in report["channels"]] == ["robots.txt"] and report["samples"] == []
    assert "robots.txt is unavailable (http_503)" in report["reasons"][0]["text"]
    # one request, routed as the crawl's replica mode routes it, under the crawler's name
    assert Unavailable.requests == [("/robots.txt", "antv.gov.vn", project_settings()["USER_AGENT"])]


@pytest.mark.parametrize(
    "arguments, code, message",
    [
        (["nosuch"], 2, "unknown: nosuch"),
        ([], 2, "name outlets"),
        (["clo", "--replica", "ftp://127.0.0.1:1"], 2, "--replica must be an http:// address"),
        (["clo", "--articles", "0"], 2, "must be between 1"),
    ],
)
def test_bad_command_line_is_one_line(capsys, arguments, code, message):
    exit_code, _out, err = run(capsys, *arguments)
    assert exit_code == code
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_refused_replica_is_one_line(capsys):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = run(capsys, "clo", "--replica", f"http://127.0.0.1:{port}")
    assert code == 1 and out == ""
    assert f"the replica at http://127.0.0.1:{port} cannot be reached (connection_refused)" in err
    assert err.count("\n") == 1


def _line_of(outlet, attribute: str) -> int:
    source, start = inspect.getsourcelines(outlet)
    return start + next(i for i, text in enumerate(source) if text.strip().startswith(f"{attribute} ="))


def test_an_outlet_added_outside_the_package_is_examined_like_the_others(monkeypatch, capsys):
    """The fifth-outlet drill's outlet (tests/fifth_outlet/, named in VN_NEWS_OUTLETS): nothing in the doctor lists
    outlets by hand, and the lines it points at are in that outlet's own unit."""
    drill = Path(__file__).resolve().parent / "fifth_outlet"
    monkeypatch.setenv(outlets.EXTRA_OUTLETS_VARIABLE, "tinmau")
    monkeypatch.syspath_prepend(str(drill))
    outlets.reload()
    try:
        with ReplicaServer(articles_per_outlet=ARTICLES) as replica:
            code, out, err = run(capsys, "tinmau", "--replica", replica.url, "--articles", "2", "--json")
    finally:
        monkeypatch.undo()
        outlets.reload()
    assert code == 0, out + err
    (report,) = json.loads(out)["outlets"]
    assert report["verdict"] == HEALTHY and report["unit"].endswith("fifth_outlet/tinmau.py")
    assert [c["kind"] for c in report["channels"]] == ["robots.txt", "feed", "home", "listing", "listing", "listing"]


def test_the_relocated_replica_names_the_failing_listing_paths_and_the_sections_to_use(capsys):
    """Every configured listing of the relocated replica answers 404: the doctor names each as a failing line of
    the unit, and offers the sections of the home page's navigation (those robots.txt allows) as listing_paths."""
    with ReplicaServer(articles_per_outlet=ARTICLES, listings="relocated") as relocated:
        code, out, _err = run(capsys, "--all", "--replica", relocated.url, "--articles", "2", "--json")
        site_sections = {
            name: [relocated.site(name).section_path(s.slug, 1).lstrip("/") for s in relocated.site(name).sections]
            for name in outlets.names()
        }
    assert code == EXIT_CODES[DEGRADED]
    for checkup in json.loads(out)["outlets"]:
        outlet = outlets.get(checkup["outlet"])
        failing = {
            reason["text"].split()[1]
            for reason in checkup["reasons"]
            if reason["attribute"] == "listing_paths" and "failed: http_404" in reason["text"]
        }
        assert failing == {outlet.absolute(path) for path in outlet.listing_paths}
        suggested = checkup["listing_paths"]
        assert suggested.startswith("listing_paths = (") and checkup["listing_paths_line"]
        for path in site_sections[outlet.name]:
            assert f'"{path}"' in suggested, (outlet.name, path, suggested)
        assert "tim-kiem" not in suggested  # disallowed by robots.txt: a crawl could not walk it
