"""Incremental, scheduled crawling against replicas: what a second run downloads, updates with article_versions,
304s, the spider arguments since / until / max_articles / urls, crawl_runs rows and exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from crawler import outlets, stats_keys
from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = outlets.names()
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO"]


def crawl(replica: ReplicaServer, database: Path, *arguments: str, tmp: Path) -> subprocess.CompletedProcess:
    """``python -m crawler crawl ...`` as cron would run it."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "crawl",
            *arguments,
            "--db",
            str(database),
            "--replica",
            replica.url,
            "--jobs-dir",
            str(tmp / "jobs"),
            "--log-dir",
            str(tmp / "logs"),
            *FAST,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def query(database: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql, params).fetchall()


def is_article_page(replica: ReplicaServer, host: str, target: str) -> bool:
    """Whether ``target`` is an article page (any replica article, or a soft-404 look-alike) of ``host``."""
    site = replica.sites[host]
    path = urlsplit(target).path
    return path in site.by_path or path in dict(site.soft_404_links)


def article_paths(replica: ReplicaServer, log: list[tuple[str, str, int]]) -> dict[str, set[str]]:
    """Per outlet, the article pages requested in ``log``."""
    out: dict[str, set[str]] = {}
    for host, target, _status in log:
        if is_article_page(replica, host, target):
            out.setdefault(replica.sites[host].name, set()).add(urlsplit(target).path)
    return out


def requests_served(replica: ReplicaServer, log: list[tuple[str, str, int]]) -> dict[str, int]:
    """Per outlet, how many requests ``log`` holds."""
    return dict(Counter(replica.sites[host].name for host, _target, _status in log))


def last_runs(database: Path) -> dict[str, dict]:
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM crawl_runs ORDER BY id").fetchall()
    return {row["outlet"]: dict(row) for row in rows}


def test_second_scheduled_run_downloads_only_new_articles_and_the_pages_it_needs(tmp_path, capsys):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=40) as replica:
        first = crawl(replica, database, "--all", tmp=tmp_path)
        assert first.returncode == 0, first.stdout + first.stderr
        first_runs = last_runs(database)
        first_log = list(replica.access_log)

        published = replica.publish(3)
        second = crawl(replica, database, "--all", "-s", "RECHECK_WINDOW_DAYS=0", tmp=tmp_path)
        assert second.returncode == 0, second.stdout + second.stderr
        second_runs = last_runs(database)
        second_log = replica.access_log[len(first_log) :]

    fetched = article_paths(replica, second_log)
    for outlet in OUTLETS:
        new_paths = {article.path for article in published[outlet]}
        assert fetched.get(outlet, set()) == new_paths, f"{outlet}: only the new articles are downloaded"
        assert second_runs[outlet]["new"] == 3 and second_runs[outlet]["status"] == "ok"
        assert second_runs[outlet]["skipped"] >= 40
        assert second_runs[outlet]["requests"] < first_runs[outlet]["requests"] / 2
    # crawl_runs counts every request the replica served, no more, no less.
    assert requests_served(replica, first_log) == {o: first_runs[o]["requests"] for o in OUTLETS}
    assert requests_served(replica, second_log) == {o: second_runs[o]["requests"] for o in OUTLETS}
    # robots.txt is downloaded once per run: the spider reads its sitemaps from the response the middleware got.
    for log in (first_log, second_log):
        assert requests_served(replica, [entry for entry in log if entry[1] == "/robots.txt"]) == dict.fromkeys(
            OUTLETS, 1
        )
    # Besides the new articles, only pages the first run read too: robots.txt, feeds, sitemaps, listing pages.
    discovery = {(host, target) for host, target, _ in first_log if not is_article_page(replica, host, target)}
    assert {(host, target) for host, target, _ in second_log if not is_article_page(replica, host, target)} <= discovery
    # Every replica article is stored once.
    for outlet in OUTLETS:
        stored = [url for (url,) in query(database, "SELECT url FROM articles WHERE outlet = ?", outlet)]
        assert len(stored) == len(set(stored))
        # (>=: whether the replica's soft-404 look-alikes are stored is extraction's business, not this test's)
        assert set(stored) >= {article.url for article in replica.site(outlet).articles}
    with capsys.disabled():
        print(
            "\nrequests per outlet (crawl_runs): first run",
            {o: first_runs[o]["requests"] for o in OUTLETS},
            "second run",
            {o: second_runs[o]["requests"] for o in OUTLETS},
        )


def test_a_changed_article_is_updated_and_its_previous_version_kept(tmp_path):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=20) as replica:
        assert crawl(replica, database, "clo", tmp=tmp_path).returncode == 0
        [(rows_before,)] = query(database, "SELECT count(*) FROM articles")
        target = replica.site("clo").newest[0]
        [(before_body, before_hash)] = query(database, "SELECT body, text_hash FROM articles WHERE url = ?", target.url)
        replica.revise(target.url, "Cập nhật: bài viết được bổ sung thông tin mới nhất từ hiện trường.")
        mark = len(replica.access_log)
        # Every stored article is inside a 100-year window: all are re-checked with conditional requests.
        result = crawl(replica, database, "clo", "-s", "RECHECK_WINDOW_DAYS=36500", tmp=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        statuses = [status for _host, _target, status in replica.access_log[mark:]]

    rows = query(database, "SELECT id, body, text_hash, updated FROM articles WHERE url = ?", target.url)
    assert len(rows) == 1, "never a second row"
    article_id, body, new_hash, updated = rows[0]
    assert body.endswith("hiện trường.") and new_hash != before_hash and updated
    versions = query(database, "SELECT article_id, version, body, text_hash FROM article_versions")
    assert versions == [(article_id, 1, before_body, before_hash)]
    run = last_runs(database)["clo"]
    stats = json.loads(run["stats"])
    assert run["updated"] == 1
    assert stats[stats_keys.NOT_MODIFIED] >= 15, "unchanged articles answered 304 to If-Modified-Since"
    assert statuses.count(304) == stats[stats_keys.NOT_MODIFIED]
    assert query(database, "SELECT count(*) FROM articles")[0][0] == rows_before


def test_since_until_keep_only_articles_of_the_date_range(tmp_path):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=40) as replica:
        result = crawl(
            replica, database, "clo", "kinhtedothi", "--since", "2026-11-17", "--until", "2026-11-18", tmp=tmp_path
        )
        assert result.returncode == 0, result.stdout + result.stderr
        for outlet in ("clo", "kinhtedothi"):
            expected = {
                a.url
                for a in replica.site(outlet).articles
                if a.published and "2026-11-17" <= a.published[:10] <= "2026-11-18"
            }
            stored = {url for (url,) in query(database, "SELECT url FROM articles WHERE outlet = ?", outlet)}
            assert expected and stored == expected
            assert last_runs(database)[outlet]["mode"] == "partial"


def test_max_articles_stops_the_outlet_after_n_new_articles(tmp_path):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=40) as replica:
        result = crawl(replica, database, "antv", "--max-articles", "5", tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(database, "SELECT count(*) FROM articles")[0][0] == 5
    run = last_runs(database)["antv"]
    assert (run["status"], run["finish_reason"], run["new"]) == ("ok", "max_articles", 5)


def test_urls_crawls_only_those_articles(tmp_path):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=20) as replica:
        wanted = [replica.site("tgvn").newest[i].url for i in (2, 5)]
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "tgvn",
                "-a",
                "urls=" + ",".join(wanted),
                "-s",
                f"DATABASE_PATH={database}",
                "-s",
                f"REPLICA_URL={replica.url}",
                *FAST,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        fetched = {path for paths in article_paths(replica, replica.access_log).values() for path in paths}
    assert {url for (url,) in query(database, "SELECT url FROM articles")} == set(wanted)
    assert fetched == {urlsplit(url).path for url in wanted}


def test_crawl_command_exit_codes(tmp_path):
    with ReplicaServer(articles_per_outlet=10) as replica:
        # A database that cannot be written: the run fails, and the exit code says so.
        blocked = tmp_path / "blocked"
        blocked.write_text("a file, not a directory")
        failed = crawl(replica, blocked / "articles.db", "clo", tmp=tmp_path)
    assert failed.returncode == 1
    usage = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "nosuchoutlet"], cwd=ROOT, capture_output=True, text=True
    )
    assert usage.returncode == 2


def test_crawl_runs_rows_record_each_run(tmp_path):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=10) as replica:
        assert crawl(replica, database, "clo", "tgvn", tmp=tmp_path).returncode == 0
    rows = query(
        database,
        "SELECT outlet, started, finished, requests, new, updated, skipped, failed, status, batch "
        "FROM crawl_runs ORDER BY outlet",
    )
    assert [row[0] for row in rows] == ["clo", "tgvn"]
    for _outlet, started, finished, requests, new, updated, skipped, failed, status, _batch in rows:
        assert datetime.fromisoformat(started) <= datetime.fromisoformat(finished)
        assert requests > new >= 10 and updated == 0 and skipped == 0 and failed >= 0 and status == "ok"
    assert len({row[-1] for row in rows}) == 1, "one batch id per crawl command"


def later_listing_pages(log: list[tuple[str, str, int]]) -> set[str]:
    """The ANTV listing sections whose second (or later) page was requested in ``log`` (``/<section>.html?page=N``)."""
    return {
        urlsplit(target).path.strip("/").removesuffix(".html")
        for _host, target, _status in log
        if "page=" in urlsplit(target).query
    }


def test_listings_stop_at_the_first_page_with_nothing_new_and_backfill_walks_them_to_the_end(tmp_path):
    database = tmp_path / "articles.db"
    with ReplicaServer(articles_per_outlet=120) as replica:  # ANTV (listings only): two pages per section
        assert crawl(replica, database, "antv", tmp=tmp_path).returncode == 0
        first_log = list(replica.access_log)
        published = replica.publish(3)["antv"]
        assert crawl(replica, database, "antv", "-s", "RECHECK_WINDOW_DAYS=0", tmp=tmp_path).returncode == 0
        incremental_log = replica.access_log[len(first_log) :]
        mark = len(replica.access_log)
        # No re-checks (undated articles count as young for RECHECK_WINDOW_DAYS after their first fetch).
        assert (
            crawl(replica, database, "antv", "--backfill", "-s", "RECHECK_WINDOW_DAYS=0", tmp=tmp_path).returncode == 0
        )
        backfill_log = replica.access_log[mark:]
        sections = set(replica.site("antv").by_section)
    assert later_listing_pages(first_log) == sections, "the first run walks every listing to its end"
    # Page 1 of a section with a new article links something new, so page 2 is read (and links nothing new);
    # page 1 of any other section ends its listing.
    assert later_listing_pages(incremental_log) == {article.section for article in published}
    assert article_paths(replica, incremental_log)["antv"] == {article.path for article in published}
    runs = query(database, "SELECT mode, status, new FROM crawl_runs ORDER BY id")
    assert runs[-1] == ("backfill", "ok", 0)
    assert later_listing_pages(backfill_log) == sections, "backfill walks every listing again, whatever is stored"
    assert not article_paths(replica, backfill_log), "stored articles are still not downloaded"


def test_since_stops_a_listing_at_the_first_page_reaching_older_articles(tmp_path):
    database = tmp_path / "articles.db"
    since = "2026-11-15"
    with ReplicaServer(articles_per_outlet=120) as replica:  # the first page of each section goes back further
        result = crawl(replica, database, "antv", "--since", since, tmp=tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
        site = replica.site("antv")
    assert all(min(a.published for a in site.listing(section, 1)[0]) < since for section in site.by_section)
    assert later_listing_pages(replica.access_log) == set(), "no listing is followed past a page reaching `since`"
    expected = {a.url for a in site.articles if a.published and a.published[:10] >= since}
    assert {url for (url,) in query(database, "SELECT url FROM articles")} == expected


def test_sitemap_article_requests_are_rechecked_conditionally_and_record_their_failures(tmp_path):
    """SitemapSpider builds its own requests: without the spider's errback and re-check marker, a sitemap-only
    article that fails would leave no failure row, and a re-check would be a plain GET (in distributed mode,
    dropped as stored). Whichever of sitemap and listing reaches an article first must not matter."""
    from scrapy.http import XmlResponse
    from scrapy.utils.test import get_crawler

    from crawler.incremental import KnownArticles
    from crawler.items import Article
    from crawler.storage import open_database, save_articles
    from spiders import TgvnSpider

    stored_url = "https://baoquocte.vn/dien-dan-thanh-toan-khong-dung-tien-mat-359971.html"
    new_url = "https://baoquocte.vn/lanh-dao-ha-noi-chi-ra-14-diem-nghen-359977.html"
    database = tmp_path / "articles.db"
    with open_database(database) as db:
        save_articles(
            db,
            [
                Article(
                    outlet="tgvn",
                    url=stored_url,
                    title="Tin",
                    lead="A.",
                    body="B.",
                    published="2026-11-20T00:00:00+07:00",
                    fetched_at="2026-11-20T03:00:00+00:00",
                    http_etag='"v1"',
                )
            ],
        )
    spider_crawler = get_crawler(TgvnSpider, {"DATABASE_PATH": None})
    spider = TgvnSpider.from_crawler(spider_crawler)
    known = KnownArticles(str(database), "tgvn", recheck_window_days=36500).load()
    stored = known.get(stored_url)
    assert stored is not None and stored.etag == '"v1"'
    spider_crawler.known_articles = known
    sitemap = (
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{stored_url}</loc></url><url><loc>{new_url}</loc></url></urlset>"
    ).encode()
    requests = {
        request.url: request
        for request in spider._parse_sitemap(XmlResponse("https://baoquocte.vn/sitemap.xml", body=sitemap))
    }
    assert set(requests) == {stored_url, new_url}
    assert all(request.errback == spider.record_failure for request in requests.values())
    assert requests[stored_url].meta["stored_article"] == stored
    assert "stored_article" not in requests[new_url].meta


def test_a_recheck_sends_the_stored_validators_and_accepts_304():
    """The replica sends Last-Modified only; a site that sends an ETag gets it back as If-None-Match."""
    from scrapy import Request

    from crawler.incremental import ConditionalRequests, StoredArticle, parse_moment

    url = "https://baoquocte.vn/a-359971.html"
    stored = StoredArticle(
        url, None, parse_moment("2026-11-20T08:00:00+00:00"), '"v1"', "Fri, 20 Nov 2026 08:00:00 GMT"
    )
    request = Request(url, meta={"stored_article": stored})
    ConditionalRequests().process_request(request)
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == b"Fri, 20 Nov 2026 08:00:00 GMT"
    assert 304 in request.meta["handle_httpstatus_list"]
    # No validator stored: our own first fetch time bounds what we hold.
    bare = Request(url, meta={"stored_article": StoredArticle(url, None, stored.first_seen, None, None)})
    ConditionalRequests().process_request(bare)
    assert b"If-None-Match" not in bare.headers
    assert bare.headers[b"If-Modified-Since"] == b"Fri, 20 Nov 2026 08:00:00 GMT"
    plain = Request(url)
    ConditionalRequests().process_request(plain)
    assert b"If-Modified-Since" not in plain.headers and "handle_httpstatus_list" not in plain.meta


def test_a_future_publication_date_does_not_keep_an_article_due_for_recheck_forever():
    from crawler.incremental import KnownArticles, StoredArticle, parse_moment

    now = parse_moment("2026-12-01T12:00:00+07:00")
    known = KnownArticles(None, "antv", recheck_window_days=2, now=now)
    url = "https://antv.gov.vn/xa-hoi-4/bai-viet-A11AC3D3D.html"
    young = StoredArticle(url, parse_moment("2026-12-01T08:00:00+07:00"), parse_moment("2026-12-01"), None, None)
    old = StoredArticle(url, parse_moment("2026-11-01T08:00:00+07:00"), parse_moment("2026-11-01"), None, None)
    # dated next month on the page, first fetched three weeks ago: old, whatever the page says
    misdated = StoredArticle(url, parse_moment("2027-01-05T08:00:00+07:00"), parse_moment("2026-11-10"), None, None)
    # dated next month, first fetched this morning: young by its first fetch
    misdated_new = StoredArticle(
        url, parse_moment("2027-01-05T08:00:00+07:00"), parse_moment("2026-12-01T09:00:00+07:00"), None, None
    )
    assert known.due_for_recheck(young) and not known.due_for_recheck(old)
    assert not known.due_for_recheck(misdated)
    assert known.due_for_recheck(misdated_new)


def test_the_stored_snapshot_never_creates_or_changes_the_database(tmp_path):
    """A distributed worker reads what is stored without a database of its own: the snapshot must not create one,
    and one it reads is left as it was (no migration, no WAL switch, no write)."""
    from crawler.incremental import KnownArticles
    from crawler.items import Article
    from crawler.storage import open_database, save_articles

    missing = tmp_path / "worker" / "articles.db"
    assert len(KnownArticles(str(missing), "clo", recheck_window_days=2)) == 0
    assert not missing.parent.exists()

    database = tmp_path / "articles.db"
    with open_database(database) as db:
        save_articles(
            db,
            [
                Article(
                    outlet="clo",
                    url="https://congluan.vn/a-post1.html",
                    title="Tin",
                    lead="(CLO) A.",
                    body="B.",
                    native_id="1",
                    fetched_at="2026-11-20T03:00:00+00:00",
                )
            ],
        )
    before = database.read_bytes()
    known = KnownArticles(str(database), "clo", recheck_window_days=2)
    assert known.get("https://congluan.vn/a-post1.html") is not None and len(known) == 1
    assert database.read_bytes() == before  # (a WAL reader's -shm/-wal files are SQLite's, not content)


def test_the_failure_reasons_retry_policy_is_what_the_next_run_applies(tmp_path):
    """One enumeration carries every failure reason and its retry policy; the next run's rule is built from it."""
    from crawler.incremental import TRANSIENT_FAILURES
    from crawler.items import EXTRACTOR_JUDGED, FailureReason, Retry, http_failure

    reasons = [
        *FailureReason,
        http_failure(404),
        http_failure(410),
        http_failure(429),
        http_failure(500),
        http_failure(503),
    ]
    with sqlite3.connect(tmp_path / "reasons.db") as connection:
        connection.execute("CREATE TABLE failures (reason TEXT)")
        connection.executemany("INSERT INTO failures VALUES (?)", [(reason,) for reason in reasons])
        rule = f"SELECT reason FROM failures WHERE {TRANSIENT_FAILURES}"
        retried = {reason for (reason,) in connection.execute(rule)}
    assert retried == {reason.value for reason in FailureReason if reason.retry is Retry.NEXT_RUN} | {
        "http_429",
        "http_500",
        "http_503",
    }
    assert set(EXTRACTOR_JUDGED) == {"not_article", "parse_error"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{reason.value}`" in readme for reason in FailureReason)  # each documented


def test_the_snapshot_is_of_the_articles_stored_when_it_was_loaded(tmp_path):
    """Looked up in the database, not loaded into memory: what this run stores later is not part of it, and each
    lookup finds by canonical URL, else by native id, in its own outlet only."""
    from crawler.incremental import KnownArticles
    from crawler.items import Article
    from crawler.storage import open_database, save_articles

    def article(outlet: str, number: int, native_id: str | None = None) -> Article:
        return Article(
            outlet=outlet,
            url=f"https://congluan.vn/tin-{number}-post{number}.html",
            title=f"Tin {number}",
            lead=f"(CLO) Mở đầu {number}.",
            body=f"Thân bài {number}.",
            native_id=native_id,
            published="2026-11-20T08:00:00+07:00" if number == 1 else "2026-11-21T09:00:00+07:00",
            fetched_at="2026-11-21T03:00:00+00:00",
            http_etag=f'"v{number}"',
        )

    database = tmp_path / "articles.db"
    with open_database(database) as db:
        save_articles(db, [article("clo", 1, "1"), article("clo", 2, "2"), article("antv", 3, "3")])
        known = KnownArticles(str(database), "clo", recheck_window_days=2).load()
        save_articles(db, [article("clo", 4, "4")])  # stored by this run, after the snapshot
    assert len(known) == 2
    assert known.newest_published == datetime(2026, 11, 21, 2, tzinfo=UTC)
    first = known.get("https://congluan.vn/tin-1-post1.html")
    assert first is not None and first.etag == '"v1"' and first.published == datetime(2026, 11, 20, 1, tzinfo=UTC)
    # another URL of the same article (its native id), as the spider asks
    by_id = known.get("https://www.congluan.vn/tin-2-post2.html", "2")
    assert by_id is not None and by_id.url == "https://congluan.vn/tin-2-post2.html"
    assert known.get("https://congluan.vn/tin-3-post3.html", "3") is None  # another outlet's
    assert known.get("https://congluan.vn/tin-4-post4.html", "4") is None  # after the snapshot
    known.close()
