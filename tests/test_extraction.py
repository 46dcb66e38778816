"""Extraction against the replica pages: the five real seed pages checked against ``tests/data/gold`` (never against
our own output), synthetic replica articles against ``replica_articles()`` ground truth, the generic path on
pages whose class names were renamed (a redesign), and pages that are not articles."""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.request
from functools import cache
from pathlib import Path

import pytest

from crawler import outlets
from crawler.extraction import NotAnArticle, extract
from crawler.extraction.noise import heading_kind, is_noise_line
from crawler.metrics import shingle_scores

GOLD_FILES = sorted((Path(__file__).resolve().parent / "data" / "gold").glob("*.json"))
OUTLETS = outlets.names()
COUNT = 16
"""Articles per outlet rendered by the replica in these tests (the seeds come first)."""

replica_sites = pytest.importorskip("crawler.replica.sites")


@cache
def site(outlet: str):
    return replica_sites.site_class(outlet)(COUNT)


def gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_article(data: dict, path: Path):
    return next(a for a in site(data["outlet"]).articles if a.seed in (path.name, data["seed"], path.stem))


def text_fields(article) -> list[str]:
    return [
        article.title,
        article.lead,
        article.body,
        article.author or "",
        article.category or "",
        *article.tags,
        *(image.caption or "" for image in article.images),
    ]


def rename_classes(html: str) -> str:
    """A redesign: every class, id and itemprop value replaced by a meaningless token."""
    names: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        tokens = [names.setdefault(token, f"x{len(names)}") for token in match.group(2).split()]
        return f'{match.group(1)}="{" ".join(tokens)}"'

    return re.sub(r'\b(class|id|itemprop)="([^"]*)"', rename, html)


@pytest.fixture(scope="module")
def replica():
    server_module = pytest.importorskip("crawler.replica.server")
    with server_module.ReplicaServer(articles_per_outlet=COUNT) as server:
        yield server


def fetch(replica, outlet: str, path: str) -> bytes:
    request = urllib.request.Request(replica.url + path, headers={"Host": outlets.get(outlet).host()})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


# --- the five seed pages, as served by the replica, against tests/data/gold -----------------------------------------
@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_seed_page_matches_gold(replica, path):
    data = gold(path)
    expected = seed_article(data, path)
    html = fetch(replica, data["outlet"], expected.path)  # bytes, as served over HTTP
    article = extract(html, expected.url, outlets.get(data["outlet"]))

    assert article.extraction == "outlet"
    assert article.outlet == data["outlet"]
    _, _, f1 = shingle_scores("\n".join([article.lead, article.body]), "\n".join([data["lead"], *data["body"]]))
    assert f1 >= 0.99, f1
    assert article.lead == data["lead"]
    assert article.title == data["title"]
    assert article.author == data["author"]
    assert [i.caption for i in article.images if i.caption] == data["captions"]
    if data.get("published"):
        assert article.published == data["published"]
    if data.get("not_published"):
        assert not (article.published or "").startswith(data["not_published"])
    if data.get("category"):
        assert article.category == data["category"]
    for noise in data["noise"]:
        for value in text_fields(article):
            assert noise not in value, (noise, value[:200])


def test_seed_outlet_is_inferred_from_the_url():
    for path in GOLD_FILES:
        data = gold(path)
        expected = seed_article(data, path)
        article = extract(site(data["outlet"]).handle(expected.path).body, expected.url)  # no outlet given
        assert article.outlet == data["outlet"]
        assert article.extraction == "outlet"
        assert article.url == expected.url
        assert article.native_id == expected.native_id


# --- synthetic replica articles against the replica's ground truth ----------------------------------------------------
@pytest.mark.parametrize("outlet", OUTLETS)
def test_synthetic_articles(outlet):
    articles = [a for a in site(outlet).articles if not a.is_seed][:12]
    assert articles
    for expected in articles:
        article = extract(site(outlet).handle(expected.path).body, expected.url, outlets.get(outlet))
        _, _, f1 = shingle_scores("\n".join([article.lead, article.body]), "\n".join([expected.lead, *expected.body]))
        assert f1 >= 0.99, (expected.url, f1)
        assert article.extraction == "outlet"
        assert article.title == expected.title
        assert article.lead == expected.lead
        assert article.author == expected.author
        assert article.published == expected.published
        assert [i.caption for i in article.images if i.caption] == expected.captions
        if expected.category:
            assert article.category == expected.category
        assert article.url == expected.url
        assert article.native_id == expected.native_id
        for line in [article.lead, *article.body.split("\n\n")]:
            assert heading_kind(line) is None, line
            assert not is_noise_line(line), line
        for alt in expected.image_alts:
            if alt != expected.title:
                assert alt not in article.body


# --- the generic path: the outlet's markup renamed -------------------------------------------------------------------
@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_generic_path_on_renamed_seed(path):
    data = gold(path)
    expected = seed_article(data, path)
    html = rename_classes(site(data["outlet"]).handle(expected.path).body.decode("utf-8"))
    article = extract(html, expected.url, outlets.get(data["outlet"]))

    assert article.extraction == "generic"
    _, _, f1 = shingle_scores("\n".join([article.lead, article.body]), "\n".join([data["lead"], *data["body"]]))
    assert f1 >= 0.97, f1
    assert article.title == data["title"]
    if data.get("published"):
        assert article.published == data["published"]
    if data.get("not_published"):
        assert not (article.published or "").startswith(data["not_published"])
    for noise in data["noise"]:
        for value in (article.title, article.lead, article.body, article.author or ""):
            assert noise not in value, (noise, value[:200])
    for caption in data["captions"]:
        assert caption not in article.body


@pytest.mark.parametrize("outlet", OUTLETS)
def test_generic_path_on_renamed_synthetic_articles(outlet):
    for expected in [a for a in site(outlet).articles if not a.is_seed][:4]:
        html = rename_classes(site(outlet).handle(expected.path).body.decode("utf-8"))
        article = extract(html, expected.url, outlets.get(outlet))
        assert article.extraction == "generic"
        _, _, f1 = shingle_scores("\n".join([article.lead, article.body]), "\n".join([expected.lead, *expected.body]))
        assert f1 >= 0.97, (expected.url, f1)
        assert article.title == expected.title
        for caption in expected.captions:
            assert caption not in article.body


def test_unknown_host_uses_the_generic_path():
    path = GOLD_FILES[1]
    data = gold(path)
    expected = seed_article(data, path)
    html = site(data["outlet"]).handle(expected.path).body
    article = extract(html, "https://example.org/some-article.html")
    assert article.extraction == "generic"
    assert article.outlet == ""
    assert article.title == data["title"]
    _, _, f1 = shingle_scores("\n".join([article.lead, article.body]), "\n".join([data["lead"], *data["body"]]))
    assert f1 >= 0.97


# --- pages that are not articles --------------------------------------------------------------------------------------
@pytest.mark.parametrize("outlet", OUTLETS)
def test_listing_page_is_not_an_article(outlet):
    description = outlets.get(outlet)
    response = site(outlet).handle("/" + description.listing_paths[0])
    assert response.status == 200
    with pytest.raises(NotAnArticle):
        extract(response.body, description.absolute(description.listing_paths[0]), description)


@pytest.mark.parametrize("outlet", OUTLETS)
def test_404_page_is_not_an_article(outlet):
    description = outlets.get(outlet)
    response = site(outlet).handle("/bai-viet-khong-ton-tai-123456.html")
    with pytest.raises(NotAnArticle):
        extract(response.body, description.absolute("bai-viet-khong-ton-tai-123456.html"), description)


@pytest.mark.parametrize("html", ["", b"", "   ", "<html><head><title>x</title></head><body></body></html>"])
def test_empty_page_is_not_an_article(html):
    with pytest.raises(NotAnArticle) as error:
        extract(html, "https://congluan.vn/a-post123456.html")
    assert error.value.reason in ("empty", "no_title", "too_little_text")


def test_radio_page_is_not_an_article():
    with pytest.raises(NotAnArticle) as error:
        extract(
            "<html><body><h1>Radio</h1><p>" + "nội dung " * 80 + "</p></body></html>",
            "https://antv.gov.vn/radio/chinh-tri-xa-hoi-E3223AB43.html",
        )
    assert error.value.reason == "excluded_url"


def test_soft_404():
    html = (
        "<html><head><title>404 - Không tìm thấy trang</title></head><body><h1>Không tìm thấy trang</h1>"
        "<p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p></body></html>"
    )
    with pytest.raises(NotAnArticle) as error:
        extract(html, "https://kinhtedothi.vn/abc.123.html")
    assert error.value.reason == "soft_404"


# --- hand-written snippets: decoding, canonical URL, registry --------------------------------------------------------
ARTICLE = """<html><head>{meta}<link rel="canonical" href="{canonical}"></head><body>
<div class="detail-page"><h1 class="title-detail">Tiêu đề bài viết thử nghiệm</h1>
<div class="detail-article">
<p class="sapo">(ANTV) - Đoạn mở đầu của bài viết thử nghiệm, đủ dài để là một sapo thật sự.</p>
<p>Đoạn thứ nhất của thân bài nói về một sự kiện quan trọng diễn ra tại Hà Nội trong tuần qua với nhiều
người tham dự.</p>
<p>Đoạn thứ hai tiếp tục câu chuyện, thêm chi tiết về những người tham gia và kết quả đạt được sau nhiều
tháng chuẩn bị.</p>
<p>Ngắn.</p>
</div></div></body></html>"""


def to_cp1258(text: str) -> bytes:
    """windows-1258 bytes as Vietnamese legacy pages have them: precomposed vowels, combining tone marks."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
            out += (base + tones).encode("cp1258")
    return out


def test_bytes_in_declared_windows_1258_are_decoded_and_nfc_normalised():
    html = ARTICLE.format(
        meta='<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">',
        canonical="https://www.antv.gov.vn/the-gioi-7/tieu-de-4C1D9E27B.html?utm_source=x",
    )
    data = to_cp1258(html)
    assert data.decode("cp1258") != html  # really decomposed: extraction must NFC-normalise
    article = extract(data, "https://antv.gov.vn/the-gioi-7/tieu-de-4C1D9E27B.html")
    assert article.title == "Tiêu đề bài viết thử nghiệm"
    assert article.lead.startswith("(ANTV) - Đoạn mở đầu")
    assert article.body.endswith("Ngắn.")  # short paragraphs are kept
    assert article.url == "https://antv.gov.vn/the-gioi-7/tieu-de-4C1D9E27B.html"
    assert article.native_id == "4C1D9E27B"


def test_undeclared_utf8_and_foreign_canonical():
    html = ARTICLE.format(meta="", canonical="https://other.example/x.html")
    article = extract(html.encode("utf-8"), "https://beta.antv.gov.vn/the-gioi-7/tieu-de-4C1D9E27B.html?fbclid=1")
    assert article.url == "https://antv.gov.vn/the-gioi-7/tieu-de-4C1D9E27B.html"
    assert article.body.split("\n\n")[0].startswith("Đoạn thứ nhất")


def test_for_url_finds_the_outlet_owning_a_host():
    assert outlets.for_url("https://www.congluan.vn/x-post123456.html").name == "clo"
    assert outlets.for_url("https://beta.antv.gov.vn/a-2/b-4C1D9E27B.html").name == "antv"
    assert outlets.for_url("https://baoquocte.vn/a-1.html").name == "tgvn"
    assert outlets.for_url("https://kinhtedothi.vn/a.1.html").name == "kinhtedothi"
    assert outlets.for_url("https://en.baoquocte.vn/a-1.html") is None


# --- structure, not length: short articles kept, pages wrapped in a form, media labels --------------------------------
def test_short_article_with_a_date_is_kept_and_soft_404_text_is_not():
    short = (
        "<html><head><meta property='og:type' content='article'></head><body><h1>Tin ngắn về thời tiết</h1>"
        "<p>(CLO) Hà Nội hôm nay có mưa rào rải rác, nhiệt độ thấp nhất 18 độ C.</p>"
        "<p>Người dân nên mang theo áo mưa khi ra đường.</p></body></html>"
    )
    article = extract(short, "https://example.org/tin-ngan.html")
    assert article.lead.startswith("(CLO) Hà Nội") and article.body == "Người dân nên mang theo áo mưa khi ra đường."
    gone = short.replace("Người dân nên mang theo áo mưa khi ra đường.", "Bài viết không tồn tại hoặc đã bị xóa.")
    with pytest.raises(NotAnArticle) as error:
        extract(gone, "https://example.org/tin-ngan.html")
    assert error.value.reason == "soft_404"


def test_page_wrapped_in_a_form_and_opening_with_a_video_label():
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story says something long enough to be prose, with details "
        f"about the matter at hand and the people involved in it, number {i}.</p>"
        for i in range(6)
    )
    html = (
        f"<html><body><form id='aspnetForm'><h1>A story in a form</h1><div class='row'><span>VIDEO</span>"
        f"<div class='player'></div>{paragraphs}</div></form></body></html>"
    )
    article = extract(html, "https://example.org/story.html")
    assert "Paragraph 5 of the story" in article.body
    assert "VIDEO" not in article.body


def test_caption_of_a_picture_with_sources_belongs_to_its_image():
    """libxml2 nests the <img> of a <picture> inside its <source>: the figcaption must still be found."""
    from crawler.extraction.html import parse
    from crawler.extraction.images import collect_images

    tree = parse(
        "<html><body><figure><picture><source type='image/webp' data-srcset='/a.webp 1x'>"
        "<img src='/lazy.svg' data-src='/photo.jpg' alt='alt text'></picture>"
        "<figcaption>Người dân xếp hàng. (Nguồn: TTXVN)</figcaption></figure></body></html>"
    )
    [image] = collect_images(tree, "https://baoquocte.vn/x-1.html")
    assert image.url == "https://baoquocte.vn/photo.jpg"
    assert image.caption == "Người dân xếp hàng. (Nguồn: TTXVN)"
    assert not list(tree.iter("figcaption")), "the caption block is taken out of the text"
