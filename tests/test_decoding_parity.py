"""One decoder: the bytes of a page read by the crawl (the spider's ``parse_article``) and by ``python -m crawler
extract`` (the debugging tool) give the same text, and a page the crawl records as ``undecodable`` makes
``extract`` say so in one line and exit non-zero, never print mojibake."""

from __future__ import annotations

import json
import re

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.cli import main
from crawler.items import Article, PageFailure
from crawler.replica.faults import to_windows_1258
from crawler.replica.pages import site
from spiders import CloSpider

META_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)
GARBAGE = bytes(range(0x80, 0x100)) * 40


@pytest.fixture(scope="module")
def replica_article():
    """A CLO replica article with Vietnamese text in every field, and its page as the replica serves it (utf-8)."""
    replica = site("clo")
    article = next(a for a in replica.articles if not a.is_seed and a.body)
    html = replica.handle(article.path).body.decode("utf-8")
    assert META_CHARSET.search(html), "the replica page declares its charset; the cases below replace it"
    return article, html


def _page(html: str, meta: str | None, encode) -> bytes:
    return encode(META_CHARSET.sub(f'<meta charset="{meta}">' if meta else "", html, count=1))


def _utf16_with_bom(html: str) -> bytes:
    return "\ufeff".encode("utf-16-le") + html.encode("utf-16-le")


# (page encoding, <meta charset>, HTTP header charset)
CASES = {
    "header lies (utf-8), meta right": (to_windows_1258, "windows-1258", "utf-8"),
    "no charset anywhere, utf-8": (lambda html: html.encode("utf-8"), None, None),
    "no charset anywhere, windows-1258": (to_windows_1258, None, None),
    "cp1258 label in the meta": (to_windows_1258, "cp1258", None),
    "stale meta (windows-1258), header right": (lambda html: html.encode("utf-8"), "windows-1258", "utf-8"),
    "utf-16 byte-order mark, header says utf-8": (_utf16_with_bom, "utf-8", "utf-8"),
}


def crawl(url: str, body: bytes, charset: str | None) -> Article | PageFailure:
    """What the crawl makes of the response: the spider's own article callback."""
    spider_crawler = get_crawler(CloSpider, {"INCREMENTAL_ENABLED": False})
    spider = CloSpider.from_crawler(spider_crawler)
    spider_crawler.stats.open_spider()
    headers = {"Content-Type": f"text/html; charset={charset}" if charset else "text/html"}
    [item] = list(spider.parse_article(HtmlResponse(url, body=body, headers=headers, request=Request(url))))
    return item


def run_extract(tmp_path, capsys, url: str, body: bytes, charset: str | None) -> tuple[int, str, str]:
    page = tmp_path / "page.html"
    page.write_bytes(body)
    code = main(["extract", str(page), "--url", url, *(["--charset", charset] if charset else [])])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", CASES)
def test_extract_decodes_as_the_crawl_does(case, replica_article, tmp_path, capsys):
    article, html = replica_article
    encode, meta, charset = CASES[case]
    body = _page(html, meta, encode)
    crawled = crawl(article.url, body, charset)
    assert isinstance(crawled, Article), crawled
    code, out, err = run_extract(tmp_path, capsys, article.url, body, charset)
    assert code == 0, err
    printed = json.loads(out)
    assert (printed["title"], printed["lead"], printed["body"]) == (crawled.title, crawled.lead, crawled.body)
    # and both read it right: the replica's own text, not mojibake
    assert crawled.title == article.title and crawled.lead == article.lead


def test_an_undecodable_page_is_one_line_and_a_failure_exit(replica_article, tmp_path, capsys):
    article, html = replica_article
    body = html.replace("</body>", "").encode("utf-8")[:200] + GARBAGE + b"</body></html>"
    crawled = crawl(article.url, body, "utf-8")
    assert isinstance(crawled, PageFailure) and crawled.reason == "undecodable"
    code, out, err = run_extract(tmp_path, capsys, article.url, body, "utf-8")
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "undecodable" in err
    code, out, err = run_extract(tmp_path, capsys, article.url, body, None)  # no header: refused all the same
    assert code == 1 and out == "" and "undecodable" in err
