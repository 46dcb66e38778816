"""Fault-tolerant crawling: for each replica fault, the four spiders crawl a replica where that fault hits one
article in seven, and every article must end either stored with the right text or recorded in ``failures`` with
the expected reason; transient faults must be retried (honouring ``Retry-After``) into stored articles.

One crawl per fault, the four outlets in parallel processes, 20 articles per outlet, low timeouts and backoff.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler import outlets
from crawler.extraction.encoding import UndecodableError, decode_html
from crawler.middlewares import BackoffRetryMiddleware, retry_after_seconds
from crawler.replica import faults as replica_faults
from crawler.replica.content import replica_articles
from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = outlets.names()
ARTICLES_PER_OUTLET = 20
MOJIBAKE = ("Ã", "á»", "Ä", "\ufffd")

DOWNLOAD_TIMEOUT = 1  # well below replica_faults.SLOW_SECONDS
DOWNLOAD_MAXSIZE = 256 * 1024  # replica pages are ~15 KB; OVERSIZED_BYTES and BOMB_BYTES are far above
RETRY_BACKOFF_BASE = 0.2
RETRY_TIMES = 3  # more than replica_faults.TRANSIENT_ATTEMPTS
CRAWL_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "LOG_LEVEL": "WARNING",
    "RETRY_TIMES": str(RETRY_TIMES),
    "RETRY_BACKOFF_BASE": str(RETRY_BACKOFF_BASE),
    "DOWNLOAD_MAXSIZE": str(DOWNLOAD_MAXSIZE),
    "DOWNLOAD_WARNSIZE": "0",
}

STORED = "stored"
#: What a fault-tolerant crawler makes of each fault's articles: stored with the right text, or a failure reason.
EXPECTED = {
    "http_5xx_burst": STORED,
    "http_429": STORED,
    "slow": "timeout",
    "connection_reset": STORED,
    "truncated_body": STORED,
    "oversized": "too_large",
    "gzip_bomb": "too_large",
    "redirect_loop": "redirect_loop",
    "removed": "http_404",
    "soft_404": "not_article",
    "undeclared_gzip": "undecodable",
    "windows1258_wrong_header": STORED,
    "utf8_undeclared": STORED,
    "windows1258_undeclared": STORED,
    "python_codec_charset": STORED,
    "malformed_html": STORED,
    # A canonical link naming another page (the home page, another article) must not merge articles into one row.
    "canonical_home": STORED,
    "canonical_other": STORED,
}
#: Requests per faulty page: transient faults are retried until the page comes, a timeout until the retries run out,
#: a redirect loop is followed once round; anything else is requested once (no retrying what cannot improve).
REQUESTS = {
    "http_5xx_burst": replica_faults.TRANSIENT_ATTEMPTS + 1,
    "http_429": 2,
    "connection_reset": replica_faults.TRANSIENT_ATTEMPTS + 1,
    "truncated_body": replica_faults.TRANSIENT_ATTEMPTS + 1,
    "slow": range(2, 2 + RETRY_TIMES),  # a retry that times out before it is even sent never reaches the replica
    "redirect_loop": 2,
}


def test_every_fault_has_an_expectation():
    assert set(EXPECTED) == set(replica_faults.FAULTS)


def crawl_all(replica_url: str, database: Path, fault: str) -> None:
    settings = {**CRAWL_SETTINGS, "REPLICA_URL": replica_url, "DATABASE_PATH": str(database)}
    if fault == "slow":  # only there: a loaded machine must not time out healthy pages in the other crawls
        settings["DOWNLOAD_TIMEOUT"] = str(DOWNLOAD_TIMEOUT)
    arguments = [argument for name, value in settings.items() for argument in ("-s", f"{name}={value}")]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", outlet, *arguments],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for outlet in OUTLETS
    ]
    for outlet, process in zip(OUTLETS, processes):
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, f"scrapy crawl {outlet} ({fault}) failed:\n{output[-4000:]}"
        assert "Traceback" not in output, f"scrapy crawl {outlet} ({fault}) raised:\n{output[-4000:]}"


def folded(*texts: str) -> list[str]:
    """Paragraphs with spacing folded (the store normalises the no-break spaces some seed texts have)."""
    return [" ".join(paragraph.split()) for text in texts for paragraph in text.split("\n\n")]


def rows(database: Path, query: str, *params) -> list[sqlite3.Row]:
    with sqlite3.connect(database) as connection:
        connection.row_factory = sqlite3.Row
        return connection.execute(query, params).fetchall()


@pytest.fixture(scope="module", params=list(EXPECTED))
def faulty_crawl(request, tmp_path_factory):
    """(fault, replica after the crawl, database) for one fault: one replica, four crawls."""
    fault = request.param
    database = tmp_path_factory.mktemp(fault) / "articles.db"
    with ReplicaServer(articles_per_outlet=ARTICLES_PER_OUTLET, faults=(fault,)) as replica:
        crawl_all(replica.url, database, fault)
    return fault, replica, database


@pytest.mark.parametrize("outlet", OUTLETS)
def test_every_article_is_stored_right_or_recorded(faulty_crawl, outlet):
    fault, replica, database = faulty_crawl
    faulty = replica.faulty_urls(fault)
    stored = {row["url"]: row for row in rows(database, "select * from articles where outlet = ?", outlet)}
    failed = {row["url"]: row for row in rows(database, "select * from failures where outlet = ?", outlet)}
    hit = 0
    for article in replica_articles(outlet, ARTICLES_PER_OUTLET):
        expected = EXPECTED[fault] if article.url in faulty else STORED
        hit += article.url in faulty
        if expected == STORED:
            assert article.url in stored, f"{article.url} not stored; failure: {dict(failed.get(article.url, {}))}"
            row = stored[article.url]
            assert folded(row["title"], row["lead"], row["body"]) == folded(article.title, article.lead, *article.body)
            text = "\n".join((row["title"], row["lead"], row["body"]))
            assert not [marker for marker in MOJIBAKE if marker in text], f"mojibake in {article.url}"
        else:
            assert article.url not in stored, f"{article.url} ({fault}) stored"
            assert article.url in failed, f"{article.url} ({fault}) neither stored nor recorded"
            assert failed[article.url]["reason"] == expected, dict(failed[article.url])
            if expected.startswith("http_"):  # the status the server answered is kept with the reason
                assert failed[article.url]["status"] == int(expected.removeprefix("http_"))
    assert hit, f"{fault} hit no {outlet} article"
    assert not replica.errors


@pytest.mark.parametrize("outlet", OUTLETS)
def test_the_run_ends_ok_and_nothing_stored_is_garbled(faulty_crawl, outlet):
    """Nothing crashed (no spider exception, no write error: status ``ok``), and no stored row of the outlet, the
    replica's soft-404 look-alikes included, carries mojibake or replacement characters."""
    fault, _replica, database = faulty_crawl
    [run] = rows(database, "select status, finish_reason from crawl_runs where outlet = ?", outlet)
    assert (run["status"], run["finish_reason"]) == ("ok", "finished"), f"{outlet} ({fault})"
    for row in rows(database, "select url, title, lead, body, author, category from articles where outlet = ?", outlet):
        text = "\n".join(str(row[field] or "") for field in ("title", "lead", "body", "author", "category"))
        assert not [marker for marker in MOJIBAKE if marker in text], f"mojibake in {row['url']} ({fault})"


@pytest.mark.parametrize("outlet", OUTLETS)
def test_faulty_pages_are_retried_as_needed_and_with_waits(faulty_crawl, outlet):
    fault, replica, _database = faulty_crawl
    for url in {article.url for article in replica_articles(outlet, ARTICLES_PER_OUTLET)} & replica.faulty_urls(fault):
        times = replica.faults.request_times(url)
        expected = REQUESTS.get(fault, 1)
        assert len(times) in expected if isinstance(expected, range) else len(times) == expected, (url, times)
        if fault == "http_429":  # Retry-After honoured
            assert times[1] - times[0] >= replica_faults.RETRY_AFTER_SECONDS - 0.05, (url, times)
        elif fault == "http_5xx_burst":  # exponential backoff: the base, then twice the base
            assert times[1] - times[0] >= RETRY_BACKOFF_BASE - 0.05, (url, times)
            assert times[2] - times[1] >= 2 * RETRY_BACKOFF_BASE - 0.05, (url, times)


# --- units ---------------------------------------------------------------------------------------------------------

VIETNAMESE = "Thủ tướng Phạm Minh Chính: “Đẩy mạnh chuyển đổi số” – ưu tiên hàng đầu của năm 2026…"


@pytest.mark.parametrize(
    "body, header, meta",
    [
        ("windows-1258", "utf-8", "windows-1258"),  # header lies, <meta> right
        ("windows-1258", None, "windows-1258"),
        ("windows-1258", None, None),  # nothing declared
        ("utf-8", None, None),
        ("utf-8", "utf-8", "windows-1258"),  # stale <meta>: the valid header wins
    ],
)
def test_decode_html_gets_vietnamese_right(body, header, meta):
    head = f'<meta charset="{meta}">' if meta else ""
    html = f"<html><head>{head}<title>t</title></head><body><p>{VIETNAMESE}</p></body></html>"
    data = replica_faults.to_windows_1258(html) if body == "windows-1258" else html.encode("utf-8")
    assert unicodedata.normalize("NFC", decode_html(data, header)) == html


@pytest.mark.parametrize(
    "codec", ["raw_unicode_escape", "unicode_escape", "utf-7", "rot13", "punycode", "utf-32", "iso-2022-kr"]
)
@pytest.mark.parametrize("where", ["header", "meta", "both"])
def test_only_web_encodings_are_honoured(codec, where):
    """A charset that is not a WHATWG encoding (a Python codec, or one the standard maps to "replacement") is
    ignored: the page is read as what it is, utf-8, with its escapes as written and no lone surrogate."""
    head = f'<meta charset="{codec}">' if where in ("meta", "both") else ""
    html = f'<html><head>{head}</head><body><p>{VIETNAMESE}</p><script>var s = "\\udc80 +ADw-";</script></body></html>'
    text = decode_html(html.encode("utf-8"), codec if where in ("header", "both") else None)
    assert text == html
    text.encode("utf-8")  # every character is one UTF-8 can carry


def test_a_meta_declaring_utf16_is_read_as_utf8():
    """The HTML standard's rule: a declaration found by reading the bytes as ASCII cannot be UTF-16."""
    html = f'<html><head><meta charset="utf-16"></head><body><p>{VIETNAMESE}</p></body></html>'
    assert decode_html(html.encode("utf-8")) == html


def test_lone_surrogates_never_reach_an_item():
    """A JSON-LD "\\ud800" escape becomes a lone surrogate in Python: the extractor and the clean pipeline replace
    it, so every field encodes as UTF-8."""
    from crawler.extraction.text import normalize
    from crawler.items import Article
    from pipelines.clean import clean_article

    assert normalize("Hà\ud800 Nội \U0001f600") == "Hà\ufffd Nội \U0001f600"  # a real pair (emoji) is kept
    article = clean_article(
        Article(
            outlet="clo",
            url="https://congluan.vn/a-post1.html",
            title="T\udc80",
            lead="L\ud800",
            body="B",
            author="A\udfff",
            tags=["x\ud800"],
        )
    )
    for value in (article.title, article.lead, article.body, article.author, *article.tags):
        value.encode("utf-8")


def test_decode_html_refuses_what_it_cannot_read():
    garbage = bytes(range(0x80, 0x100)) * 40
    with pytest.raises(UndecodableError):
        decode_html(b"<html><body>" + garbage + b"</body></html>", "utf-8")


def test_retry_after_parsing():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_retry_delays():
    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 0.5, "RETRY_AFTER_MAX": 60})
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://baoquocte.vn/a-1.html")
    assert middleware.delay(request) == 0.5
    assert middleware.delay(request.replace(meta={"retry_times": 2})) == 2.0
    asked = HtmlResponse(request.url, status=429, headers={"Retry-After": "5"})
    assert middleware.delay(request, asked) == 5
    too_long = HtmlResponse(request.url, status=503, headers={"Retry-After": "3600"})
    assert middleware.delay(request, too_long) == 60
    unparsable = HtmlResponse(request.url, status=429, headers={"Retry-After": "later"})
    assert middleware.delay(request, unparsable) == 0.5
