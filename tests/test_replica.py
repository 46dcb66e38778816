"""The offline replicas: Host routing, robots.txt, listings that reach every article, seed pages that show the gold
text and the gold noise, valid feeds and sitemaps, and a content model that scales to 10,000 articles per outlet.

Pages are read with lxml, the way a crawler would; nothing here depends on the crawler's own code.
"""

from __future__ import annotations

import http.client
import itertools
import json
import time
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from lxml import etree, html

from crawler import outlets
from crawler.replica.content import replica_articles
from crawler.replica.server import ReplicaServer
from crawler.replica.sites import site_class

ROOT = Path(__file__).resolve().parent.parent
GOLD_DIR = ROOT / "tests" / "data" / "gold"
OUTLETS = outlets.names()
COUNT = 200  # several listing pages per section for every outlet
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def replica():
    with ReplicaServer(articles_per_outlet=COUNT) as server:
        yield server


def fetch(replica: ReplicaServer, host: str, path: str, method: str = "GET", headers: dict | None = None):
    """(status, headers, body) of one request to the replica with the live host in Host."""
    address = urlsplit(replica.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def get_live(replica: ReplicaServer, url: str):
    parts = urlsplit(url)
    return fetch(replica, parts.hostname, urlunsplit(("", "", parts.path or "/", parts.query, "")))


def canonical(url: str, outlet: str) -> str:
    """Bare host, https, no query: the replica's own canonical form (tracking tails only ever add a query)."""
    parts = urlsplit(url)
    return urlunsplit(("https", site_class(outlet).hosts[0], parts.path, "", ""))


def page_text(body: bytes) -> tuple[str, str]:
    """(visible text, attribute text) of a page, whitespace-normalised."""
    doc = html.fromstring(body)
    for script in doc.xpath("//script|//style"):
        script.drop_tree()
    text = " ".join(doc.text_content().split())
    attributes = " ".join(" ".join(value.split()) for value in doc.xpath("//@alt|//@title"))
    return text, attributes


# --- routing --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", OUTLETS)
def test_every_host_of_an_outlet_serves_it_and_unknown_hosts_get_404(replica, outlet):
    article = replica_articles(outlet, COUNT)[-1]
    for host in site_class(outlet).hosts:
        status, headers, body = fetch(replica, host, article.path)
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        [link] = html.fromstring(body).xpath('//link[@rel="canonical"]/@href')
        assert link == article.url  # the bare live host whatever host served the page
    assert fetch(replica, "example.com", article.path)[0] == 404
    assert (host_of := replica.access_log[-1][0]) == "example.com" and host_of


def test_pages_only_ever_name_live_urls(replica):
    for outlet in OUTLETS:
        for path in ("/", replica_articles(outlet, COUNT)[7].path):
            body = fetch(replica, site_class(outlet).hosts[0], path)[2]
            assert b"127.0.0.1" not in body and replica.url.encode() not in body


def test_tracking_parameters_and_host_variants_serve_the_same_article(replica):
    article = replica_articles("antv", COUNT)[3]
    plain = fetch(replica, "antv.gov.vn", article.path)[2]
    tracked = fetch(replica, "beta.antv.gov.vn", article.path + "?utm_source=facebook&utm_medium=social")[2]
    assert plain == tracked


def test_unknown_paths_get_an_html_404(replica):
    status, headers, body = fetch(replica, "congluan.vn", "/khong-co-bai-nay-post1.html")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"<html" in body


def test_head_and_conditional_get(replica):
    article = replica_articles("tgvn", COUNT)[10]
    status, headers, body = fetch(replica, "baoquocte.vn", article.path, "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    last_modified = headers["Last-Modified"]
    assert fetch(replica, "baoquocte.vn", article.path, headers={"If-Modified-Since": last_modified})[0] == 304
    earlier = format_datetime(article.listed_at.replace(year=article.listed_at.year - 1), usegmt=False)
    assert fetch(replica, "baoquocte.vn", article.path, headers={"If-Modified-Since": earlier})[0] == 200


# --- robots.txt -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", OUTLETS)
def test_robots_disallows_a_path_the_pages_link_to(replica, outlet):
    host = site_class(outlet).hosts[0]
    status, headers, body = fetch(replica, host, "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    disallowed = [line.split(":", 1)[1].strip() for line in body.decode().splitlines() if line.startswith("Disallow:")]
    assert disallowed
    links = []
    for path in ("/", replica_articles(outlet, COUNT)[-2].path):
        doc = html.fromstring(fetch(replica, host, path)[2])
        links += [urlsplit(urljoin(f"https://{host}/", href)).path for href in doc.xpath("//a/@href|//form/@action")]
    assert any(link.startswith(prefix) for link in links for prefix in disallowed if "*" not in prefix)


# --- listings -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", OUTLETS)
def test_listings_with_pagination_reach_every_article(replica, outlet):
    # where the outlet's listings start and how its "next page" link is found (as the real sites do it)
    site = site_class(outlet)
    starts, next_selector = [site.listing_root.format(slug=s.slug) for s in site.sections], site.next_page_selector
    site = site_class(outlet)
    articles = replica_articles(outlet, COUNT)
    expected = {a.url for a in articles}
    found, pages = set(), 0
    for start in starts:
        url, seen = site.home.rstrip("/") + start, set()
        while url and url not in seen:
            seen.add(url)
            status, _, body = get_live(replica, url)
            assert status == 200, url
            pages += 1
            doc = html.fromstring(body)
            for href in doc.xpath("//a/@href"):
                absolute = urljoin(url, href)
                if canonical(absolute, outlet) in expected and urlsplit(absolute).hostname in site.hosts:
                    found.add(canonical(absolute, outlet))
            nxt = doc.cssselect(next_selector)
            url = urljoin(url, nxt[0].get("href")) if nxt else None
        assert len(seen) >= 2, f"{start}: expected several pages"
    assert found == expected
    assert pages >= len(starts) * 2


# --- seed pages -----------------------------------------------------------------------------------------------


def gold_files():
    return sorted(GOLD_DIR.glob("0*.json"))


@pytest.mark.parametrize("gold_file", gold_files(), ids=lambda path: path.stem)
def test_seed_page_shows_the_gold_text_and_the_gold_noise(replica, gold_file):
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    [article] = [a for a in replica_articles(gold["outlet"], COUNT) if a.seed == gold_file.name]
    # The ground truth is the gold, field by field.
    for field in ("title", "lead", "body", "captions", "author", "published", "category"):
        assert getattr(article, field) == gold[field], field
    status, _, body = get_live(replica, article.url)
    assert status == 200
    text, attributes = page_text(body)
    for string in [gold["title"], gold["lead"], *gold["body"], *gold["captions"]]:
        assert " ".join(string.split()) in text, string
    for noise in gold["noise"]:  # the noise is really on the page (visible or as alt/title text)
        assert noise in text or noise in attributes, noise
    doc = html.fromstring(body)
    if gold["published"] is None:
        assert not doc.xpath('//meta[@property="article:published_time"]')
    else:
        assert doc.xpath('//meta[@property="article:published_time"]/@content') == [gold["published"]]
    assert doc.xpath('//meta[@property="og:description"]/@content') == [gold["lead"]]


def test_antv_seed_shows_only_the_render_date():
    [seed] = [a for a in replica_articles("antv", 5) if a.is_seed]
    page = site_class("antv")(5).render_article(seed)
    assert "Thứ Tư, 14/01/2026 03:19 GMT+7" in page and "time-detail" not in page


def test_no_gold_noise_string_is_part_of_any_article_text():
    noise = {s for path in gold_files() for s in json.loads(path.read_text(encoding="utf-8"))["noise"]}
    for outlet in OUTLETS:
        for a in replica_articles(outlet, COUNT):
            text = "\n".join([a.lead, *a.body, *a.captions, *a.tags, a.author or "", a.category or ""])
            assert not [s for s in noise if s in text and s not in a.title], a.url


@pytest.mark.parametrize("outlet", OUTLETS)
def test_synthetic_pages_show_their_ground_truth(replica, outlet):
    for article in replica_articles(outlet, COUNT)[5:40:7]:
        body = get_live(replica, article.url)[2]
        text, _ = page_text(body)
        for string in [article.title, article.lead, *article.body, *article.captions, *article.tags]:
            assert string in text, string
        if article.byline:
            assert article.byline in text
        doc = html.fromstring(body)
        assert doc.xpath('//meta[@property="article:published_time"]/@content') == [article.published]
        assert [url for url, _ in article.images] == [
            u for u in doc.xpath("//img/@src") if u in {x for x, _ in article.images}
        ][: len(article.images)]


# --- feeds, sitemaps, look-alikes ------------------------------------------------------------------------------


def xml_of(replica, host, path, content_type):
    status, headers, body = fetch(replica, host, path)
    assert status == 200, path
    assert headers["Content-Type"] == content_type
    return etree.fromstring(body)


def test_rss_feeds(replica):
    all_urls = {o: {a.url for a in replica_articles(o, COUNT)} for o in OUTLETS}
    rss = "application/rss+xml; charset=utf-8"
    clo = xml_of(replica, "congluan.vn", "/rss/home.rss", rss)
    assert len(clo.findall("./channel/item")) == 50
    assert {link.text for link in clo.iterfind("./channel/item/link")} <= all_urls["clo"]
    economy = xml_of(replica, "congluan.vn", "/rss/kinh-te.rss", rss)
    assert economy.findall("./channel/item") and all(i.findtext("category") == "Kinh tế" for i in economy.iter("item"))
    tgvn = xml_of(replica, "baoquocte.vn", "/rss_feed/", rss)
    newest = [a.url for a in sorted(replica_articles("tgvn", COUNT), key=lambda a: a.listed_at, reverse=True)[:25]]
    assert [link.text for link in tgvn.iterfind("./channel/item/link")] == newest
    assert xml_of(replica, "baoquocte.vn", "/rss_feed/the-gioi", rss).findall("./channel/item")
    assert fetch(replica, "baoquocte.vn", "/rss/the-gioi.rss")[0] == 404
    empty = xml_of(replica, "kinhtedothi.vn", "/rss/feed/4.rss", rss)
    assert empty.findtext("./channel/title") and not empty.findall("./channel/item")
    assert fetch(replica, "antv.gov.vn", "/rss/home.rss")[0] == 404


def test_sitemaps_list_every_article_and_are_named_in_robots(replica):
    xml = "application/xml; charset=utf-8"
    tgvn = xml_of(replica, "baoquocte.vn", "/sitemap.xml", xml)
    assert {loc.text for loc in tgvn.iterfind("s:url/s:loc", SITEMAP_NS)} == {
        a.url for a in replica_articles("tgvn", COUNT)
    }
    index = xml_of(replica, "kinhtedothi.vn", "/sitemap.xml", xml)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    urls = set()
    for entry in index.iterfind("s:sitemap", SITEMAP_NS):
        assert entry.findtext("s:lastmod", namespaces=SITEMAP_NS)
        urlset = xml_of(replica, "kinhtedothi.vn", urlsplit(entry.findtext("s:loc", namespaces=SITEMAP_NS)).path, xml)
        urls |= {loc.text for loc in urlset.iterfind("s:url/s:loc", SITEMAP_NS)}
    assert urls == {a.url for a in replica_articles("kinhtedothi", COUNT)}
    for host in ("baoquocte.vn", "kinhtedothi.vn"):
        assert f"Sitemap: https://{host}/sitemap.xml" in fetch(replica, host, "/robots.txt")[2].decode()
    assert fetch(replica, "congluan.vn", "/sitemap.xml")[0] == 404
    assert fetch(replica, "antv.gov.vn", "/sitemap.xml")[0] == 404


def test_article_look_alikes_are_served_and_linked(replica):
    home = html.fromstring(fetch(replica, "antv.gov.vn", "/")[2])
    radio = [h for h in home.xpath("//a/@href") if h.startswith("/radio/")]
    events = [h for h in home.xpath("//a/@href") if h.startswith("/su-kien/") and h.endswith("-62.html")]
    assert radio and events
    for path in (radio[0], events[0]):
        assert fetch(replica, "antv.gov.vn", path)[0] == 200
    article = next(a for a in replica_articles("tgvn", COUNT) if not a.is_seed)
    doc = html.fromstring(fetch(replica, "baoquocte.vn", article.path)[2])
    [tag] = doc.xpath('//a[contains(@href, "/tag/")][substring(@href, string-length(@href) - 3) = ".tag"]/@href')[:1]
    tag_page = html.fromstring(fetch(replica, "baoquocte.vn", tag)[2])
    assert article.url in {urljoin("https://baoquocte.vn/", h) for h in tag_page.xpath("//a/@href")}


def test_redirects_point_to_live_urls(replica):
    status, headers, _ = fetch(replica, "kinhtedothi.vn", "/thoi-su")
    assert status == 301 and headers["Location"] == "https://kinhtedothi.vn/thoi-su/"
    status, headers, _ = fetch(replica, "baoquocte.vn", "/the-gioi/")
    assert status == 301 and headers["Location"] == "https://baoquocte.vn/the-gioi"


# --- content model ----------------------------------------------------------------------------------------------


def test_ten_thousand_articles_per_outlet_generate_quickly_and_uniquely():
    for outlet in OUTLETS:
        started = time.perf_counter()
        articles = replica_articles(outlet, 10_000)
        assert time.perf_counter() - started < 8
        assert len(articles) == 10_000
        for field in ("url", "title", "lead"):
            assert len({getattr(a, field) for a in articles}) == 10_000, field
        assert len({"\n".join(a.body) for a in articles}) == 10_000
        synthetic = [a for a in articles if not a.is_seed]
        assert all(a.listed_at > b.listed_at for a, b in itertools.pairwise(synthetic))  # newest first
        # Ordinary stories; the hard cases (short, photo, video, bulletin) are tested in test_replica_variants.py.
        stories = [a for a in synthetic if a.hard_case is None]
        assert all(3 <= sum(1 for kind, _ in a.blocks if kind == "p") <= 12 for a in stories)
        # Every URL has the outlet's article form; the id is unique where the form carries one.
        ids = [a.native_id for a in articles if a.native_id]
        assert len(ids) == len(set(ids))


def test_generation_is_deterministic_and_seeds_come_first():
    first = replica_articles("clo", 30)
    again = replica_articles("clo", 60)[:30]
    assert [a.url for a in first] == [a.url for a in again]
    assert first[0].is_seed and not first[1].is_seed
    assert first[1].published == "2026-11-20T17:30:00+07:00" or first[1].published < "2026-11-20T17:31"


def test_each_publish_returns_the_articles_it_added():
    with ReplicaServer(articles_per_outlet=5) as server:
        first, second = server.publish(2), server.publish(3)
        for outlet in OUTLETS:
            assert len(first[outlet]) == 2 and len(second[outlet]) == 3
            assert not {a.url for a in first[outlet]} & {a.url for a in second[outlet]}
            newest_first = server.site(outlet).articles[-5:]
            assert [a.url for a in newest_first] == [a.url for a in second[outlet] + first[outlet]]
