"""The corpus commands on a demo database: search, export, stats, report (rendered in headless Chromium),
Datasette, raw page archive and re-extraction, near-duplicate clusters."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import outlets
from crawler.cli import main

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "crawler" / "datasette" / "metadata.json"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("demo") / "articles.db"
    # A subprocess: Scrapy's reactor cannot be started twice in one test session.
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "demo", "--db", str(database), "--articles", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return database


def run_cli(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_search_command(demo_db, capsys):
    code, out = run_cli(capsys, "search", "--db", str(demo_db), "Ha Noi", "--limit", "3")
    assert code == 0 and out.startswith(" 1. [")
    assert "[Hà] [Nội]" in out
    code, out = run_cli(capsys, "search", "--db", str(demo_db), "song Me Kong", "--outlet", "clo", "--json")
    [hit] = [json.loads(line) for line in out.splitlines()]
    assert hit["outlet"] == "clo" and "Mê Kông" in hit["title"] and hit["cluster_id"]


def test_export_jsonl_csv_parquet_with_filters(demo_db, tmp_path, capsys, monkeypatch):
    code, out = run_cli(capsys, "export", "--db", str(demo_db), "--format", "jsonl", "--outlet", "tgvn")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 30 and {row["outlet"] for row in rows} == {"tgvn"}
    assert isinstance(rows[0]["tags"], list) and isinstance(rows[0]["images"], list)
    dates = [(row["published"] or row["first_seen"])[:10] for row in rows]
    assert dates == sorted(dates)

    code, out = run_cli(
        capsys, "export", "--db", str(demo_db), "--format", "csv", "--since", "2026-11-19", "--until", "2026-11-19"
    )
    records = list(csv.DictReader(io.StringIO(out)))
    assert records and all(record["published"].startswith("2026-11-19") for record in records)

    import pyarrow.parquet as pq

    from crawler.corpus import export

    monkeypatch.setattr(export, "BATCH_ROWS", 25)  # several row groups: written batch by batch
    target = tmp_path / "corpus.parquet"
    assert main(["export", "--db", str(demo_db), "--format", "parquet", "--output", str(target)]) == 0
    parquet = pq.ParquetFile(target)
    assert parquet.metadata.num_rows == 120 and parquet.metadata.num_row_groups == 5
    table = parquet.read(columns=["outlet", "tags", "cluster_id"])
    assert set(table.column("outlet").to_pylist()) == set(outlets.names())
    import pyarrow as pa

    tags = table.schema.field("tags").type
    assert pa.types.is_list(tags) and tags.value_type == pa.string()
    assert main(["export", "--db", str(demo_db), "--format", "parquet"]) == 2  # needs --output


def test_stats_command(demo_db, capsys):
    code, out = run_cli(capsys, "stats", "--db", str(demo_db))
    assert code == 0
    for outlet in outlets.names():
        assert f"\n{outlet:<12} {30:>8} {30:>5} {0:>7} " in out  # articles, new, updated in the last run
    assert "articles per day" in out and "near-duplicate clusters: 4" in out
    code, out = run_cli(capsys, "stats", "--db", str(demo_db), "--json", "--outlet", "clo")
    stats = json.loads(out)
    assert [entry["outlet"] for entry in stats["outlets"]] == ["clo"] and stats["articles"] == 30
    assert stats["outlets"][0]["failures"] >= 1 and 0 < stats["outlets"][0]["failure_rate"] < 1


def test_report_is_self_contained_html_with_the_charts(demo_db, tmp_path):
    target = tmp_path / "report.html"
    assert main(["report", "--db", str(demo_db), "--output", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert '<svg id="articles-chart"' in html and '<svg id="failures-chart"' in html
    assert html.count('class="bar" data-outlet=') > 20
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "src=" not in html and "<link" not in html  # nothing loaded from elsewhere


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); CI has it")
def test_report_renders_its_chart_in_headless_chromium(demo_db, tmp_path):
    from PIL import Image

    from crawler import outlets
    from crawler.corpus.report import FAILURE_BAR_OPACITY

    target = tmp_path / "report.html"
    assert main(["report", "--db", str(demo_db), "--output", str(target)]) == 0
    screenshot = tmp_path / "report.png"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--hide-scrollbars",
        "--window-size=1100,1800",
    ]
    result = subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={screenshot}", target.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert screenshot.exists(), result.stderr[-2000:]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", target.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    assert 'id="months-chart"' in dom and 'id="articles-chart"' in dom and dom.count("<rect") > 20
    image = Image.open(screenshot).convert("RGB")
    # Two bar charts in outlet colours, one above the other: the months' and the days'. Each is a band of rows in
    # which every outlet's colour appears, as tall as its tallest bar (a legend's band is 12 px).
    outlet_rgbs = {tuple(int(o.report_colour[i : i + 2], 16) for i in (1, 3, 5)) for o in outlets.registry()}
    rows = [outlet_rgbs & {image.getpixel((x, y)) for x in range(0, image.width, 2)} for y in range(image.height)]
    bands, start = [], None
    for y, found in enumerate([*rows, set()]):
        if found and start is None:
            start = y
        elif not found and start is not None:
            bands.append((start, y, set().union(*rows[start:y])))
            start = None
    charts = [(top, bottom) for top, bottom, colours in bands if bottom - top > 40 and colours == outlet_rgbs]
    assert len(charts) == 2, bands
    pixels = image.getcolors(maxcolors=1 << 20)
    counts = {colour: count for count, colour in pixels}
    for outlet, hex_colour in ((o.name, o.report_colour) for o in outlets.registry()):
        rgb = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 50, f"{outlet}'s bars ({hex_colour}) are not on the screenshot"
        # Its failure-rate bar: the same colour, translucent on the white page (blending may round by a unit).
        blend = tuple(round(255 - FAILURE_BAR_OPACITY * (255 - channel)) for channel in rgb)
        blended = sum(count for colour, count in counts.items() if max(abs(a - b) for a, b in zip(colour, blend)) <= 2)
        assert blended > 500, f"{outlet}'s failure-rate bar ({blend}) is not on the screenshot"


def test_failure_rates_are_drawn_on_a_fixed_percentage_scale():
    from crawler.corpus.report import failures_chart

    svg = failures_chart(
        [
            {"outlet": "antv", "failure_rate": 0.02, "failures": 2, "articles": 98},
            {"outlet": "clo", "failure_rate": 0.04, "failures": 4, "articles": 96},
        ]
    )
    widths = {
        outlet: float(width)
        for outlet, width in re.findall(r'class="bar" data-outlet="(\w+)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)
    }
    assert widths["clo"] == pytest.approx(2 * widths["antv"], rel=0.01)
    assert widths["clo"] == pytest.approx(0.8 * (960 - 180 - 150), rel=0.01)  # 4% of a 5% scale, not a full bar
    assert ">0%<" in svg and ">5%<" in svg  # the axis says so


def test_datasette_browses_the_corpus_with_facets_and_search(demo_db):
    from datasette.app import Datasette

    from crawler.corpus.neardup import fold

    async def check():
        datasette = Datasette([str(demo_db)], metadata=json.loads(METADATA.read_text(encoding="utf-8")))
        page = await datasette.client.get("/articles/articles")
        assert page.status_code == 200 and "Articles" in page.text and 'name="_search"' in page.text
        data = (await datasette.client.get("/articles/articles.json?_size=0")).json()
        assert {"outlet", "category", "article_date"} <= set(data["facet_results"])
        # The date facet counts Vietnam days (SQL's date(published) would move early-morning articles to the
        # previous UTC day).
        with sqlite3.connect(demo_db) as connection:
            vietnam_days = dict(
                connection.execute(
                    "SELECT substr(coalesce(published, first_seen), 1, 10) AS day, count(*) FROM articles GROUP BY day"
                )
            )
        facet = {item["value"]: item["count"] for item in data["facet_results"]["article_date"]["results"]}
        assert facet and all(vietnam_days[day] == count for day, count in facet.items())
        found = (await datasette.client.get("/articles/articles.json?_search=Ha+Noi&_shape=objects")).json()
        texts = [fold(row["title"] + " " + row["lead"] + " " + row["body"]) for row in found["rows"]]
        assert texts and all({"ha", "noi"} <= set(re.findall(r"\w+", text)) for text in texts)
        assert any("Hà Nội" in row["title"] for row in found["rows"])
        clusters = (await datasette.client.get("/articles/near_duplicates.json?_shape=objects")).json()
        assert len(clusters["rows"]) == 4
        home = await datasette.client.get("/")
        assert "Vietnamese news corpus" in home.text

    asyncio.run(check())


def test_pages_are_archived_and_reextract_updates_changed_rows_only(demo_db, tmp_path, capsys, monkeypatch):
    database = tmp_path / "copy.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(database) as copy:
        source.backup(copy)
    with sqlite3.connect(database) as connection:
        # Every article's page, and the page of every URL the extractor found not to be an article (soft 404s).
        assert connection.execute("SELECT count(*) FROM pages JOIN articles USING (url)").fetchone()[0] == 120
        rejected = connection.execute(
            "SELECT count(*) FROM pages JOIN failures USING (url) WHERE reason = 'not_article'"
        ).fetchone()[0]
        assert rejected > 0
        assert connection.execute("SELECT count(*) FROM pages").fetchone()[0] == 120 + rejected
        assert (
            connection.execute("SELECT count(*) FROM pages WHERE compression = 'zlib' AND size > 0").fetchone()[0]
            == 120 + rejected
        )
        before = dict(connection.execute("SELECT url, first_seen FROM articles").fetchall())

    code, out = run_cli(capsys, "reextract", "--db", str(database))
    # Same extractor: nothing to do, and the rejected pages are still not articles.
    assert code == 0 and "unchanged 120" in out and f"still_failed {rejected}" in out

    import crawler.extraction as extraction

    original = extraction.extract

    def changed_extractor(html, url, outlet=None):  # a "fix" that changes the CLO titles
        article = original(html, url, outlet)
        if article.outlet == "clo":
            article.title = article.title + " (sửa)"
        return article

    monkeypatch.setattr(extraction, "extract", changed_extractor)
    code, out = run_cli(capsys, "reextract", "--db", str(database))
    assert code == 0 and "text_updated 30" in out and "unchanged 90" in out
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM articles WHERE title LIKE '% (sửa)'").fetchone()[0] == 30
        assert dict(connection.execute("SELECT url, first_seen FROM articles").fetchall()) == before
        assert connection.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 30
    from crawler.corpus.search import search
    from crawler.storage import open_database

    with open_database(database) as db:  # the search index followed
        titles = [hit["title"] for hit in search(db, "sua", limit=200)]
        assert sum(title.endswith(" (sửa)") for title in titles) == 30

    def metadata_extractor(html, url, outlet=None):  # another fix: TG&VN sections renamed, ANTV pages rejected
        article = changed_extractor(html, url, outlet)
        if article.outlet == "antv":
            raise extraction.NotAnArticle("rejected by the new rules")
        if article.outlet == "tgvn":
            article.category = "Mục mới"
        return article

    monkeypatch.setattr(extraction, "extract", metadata_extractor)
    code, out = run_cli(capsys, "reextract", "--db", str(database), "--dry-run")
    assert code == 0 and "would be metadata_updated 30" in out
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM articles WHERE category = 'Mục mới'").fetchone()[0] == 0
    code, out = run_cli(capsys, "reextract", "--db", str(database))
    assert code == 0 and "metadata_updated 30" in out and "not_article 30" in out and "unchanged 60" in out
    with sqlite3.connect(database) as connection:
        assert (
            connection.execute(
                "SELECT count(*) FROM articles WHERE outlet = 'tgvn' AND category = 'Mục mới'"
            ).fetchone()[0]
            == 30
        )
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == 120  # nothing deleted
        assert connection.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 30  # no new version


def test_archive_can_be_turned_off(tmp_path):
    from crawler.replica.server import ReplicaServer

    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=10) as replica:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "crawler",
                "crawl",
                "tgvn",
                "--db",
                str(database),
                "--replica",
                replica.url,
                "--max-articles",
                "5",
                "--jobs-dir",
                str(tmp_path / "jobs"),
                "--log-dir",
                str(tmp_path / "logs"),
                "-s",
                "ARCHIVE_RAW_PAGES=False",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
                "-s",
                "DOWNLOAD_DELAY=0",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stdout + result.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] >= 5  # stored, archived: none
        assert connection.execute("SELECT count(*) FROM pages").fetchone()[0] == 0


def test_dedupe_near_command_lists_the_wire_clusters(demo_db, capsys):
    code, out = run_cli(capsys, "dedupe-near", "--db", str(demo_db))
    assert code == 0 and "4 clusters" in out
    assert out.count("cluster ") == 4


def test_stats_and_report_count_a_publication_date_that_is_no_date_as_undated(demo_db, tmp_path, capsys):
    """Another tool (sqlite3, Datasette) wrote values into ``published`` that are no dates: the commands count those
    articles as undated instead of failing on them."""
    database = tmp_path / "odd-dates.db"
    shutil.copy(demo_db, database)
    with sqlite3.connect(database) as connection:
        undated = connection.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0]
        ids = [row[0] for row in connection.execute("SELECT id FROM articles WHERE published IS NOT NULL LIMIT 3")]
        for article_id, value in zip(ids, ("", "garbage", "2026-02-30T08:00:00+07:00"), strict=True):
            connection.execute("UPDATE articles SET published = ? WHERE id = ?", [value, article_id])
    code, out = run_cli(capsys, "stats", "--db", str(database), "--json")
    assert code == 0
    stats = json.loads(out)
    assert sum(entry["undated"] for entry in stats["outlets"]) == undated + 3
    assert main(["report", "--db", str(database), "--output", str(tmp_path / "report.html")]) == 0
