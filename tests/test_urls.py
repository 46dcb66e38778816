"""URL recognition, native ids and canonicalisation per outlet, including the odd forms the developers' outlet notes
record (the URLs are written out here: the tests need no file outside the repository)."""

import re

import pytest

from crawler.outlets.antv import Antv
from crawler.outlets.clo import Clo
from crawler.outlets.kinhtedothi import Kinhtedothi
from crawler.outlets.tgvn import Tgvn
from crawler.urls import canonical_url

ARTICLES = [
    # (outlet, url, native id)
    (
        Antv,
        "https://antv.gov.vn/kinh-te-5/ha-noi-dinh-danh-xe-dien-bang-mau-bien-so-va-ma-qr-04A9A9B8F.html",
        "04A9A9B8F",
    ),
    (Antv, "https://antv.gov.vn/the-gioi-7/cac-ngoai-truong-nato-17DA1F52C.html", "17DA1F52C"),
    (Antv, "https://antv.gov.vn/chinh-tri-2/thao-truong-khac-nghiet-cua-linh-co-dong-474427.html", "474427"),
    (Antv, "https://beta.antv.gov.vn/chinh-tri-2/bo-cong-an-hop-bao-thong-bao-tinh-hinh-385020.html", "385020"),
    (Antv, "https://antv.gov.vn/tin-tuc/chinh-tri/hop-bao-chinh-phu-thuong-ky-thang-9-370230.html", "370230"),
    # Slugs starting with a hyphen, or ending with one (giving "--" before the id).
    (Antv, "https://beta.antv.gov.vn/ban-doc-10/-cong-tac-chuan-bi-dieu-binh-71A2CAF87.html", "71A2CAF87"),
    (Antv, "https://antv.gov.vn/chinh-tri-2/khai-truong-trung-tam-thong-nhat-dat-nuoc--37CF38249.html", "37CF38249"),
    (Antv, "https://www.antv.gov.vn/xa-hoi-4/xe-dap-cong-cong-293EF3CFF.html", "293EF3CFF"),
    (
        Clo,
        "https://www.congluan.vn/xay-dung-moi-truong-van-hoa-thap-len-ngon-lua-sang-tao-yeu-nghe-post244164.html",
        "post244164",
    ),
    (Clo, "https://congluan.vn/chung-khoan-hom-nay-1792026-post360969.html", "post360969"),
    (Clo, "https://congluan.vn/gia-vang-9h-sang-nay-25-3-2026-bat-tang-manh-me-10335703.html", "10335703"),
    (Tgvn, "https://baoquocte.vn/ukraine-se-gia-nhap-mot-to-chuc-chung-voi-nato-294167.html", "294167"),
    (Tgvn, "https://baoquocte.vn/de-nghi-quyet-140288.html", "140288"),
    (Kinhtedothi, "https://kinhtedothi.vn/gia-vang-hom-nay-thang-5-2025.692315.html", "692315"),
    (Kinhtedothi, "https://kinhtedothi.vn/luat-thu-do-nam-2024-khoi-thong-nguon-luc-phat-trien-thu-do.html", None),
    (Kinhtedothi, "http://kinhtedothi.vn/hop-bao-tai-tp-ho-chi-minh-381650.html", "381650"),
]

NOT_ARTICLES = [
    (Antv, "https://antv.gov.vn/radio/chinh-tri-xa-hoi-E3223AB43.html"),  # radio section, article-like id
    (Antv, "https://antv.gov.vn/radio/-nhan-chung-su-kien-54C3125A7.html"),
    (Antv, "https://antv.gov.vn/su-kien/tham-hoa-hang-khong-62.html"),
    (Antv, "https://antv.gov.vn/truyen-hinh-truc-tuyen.html"),
    (Antv, "https://antv.gov.vn/chinh-tri-2.html"),
    (Antv, "https://antv.gov.vn/the-gioi-7/cac-ngoai-truong-nato-17da1f52c.html"),  # hex ids are upper case
    (Antv, "https://evil.example/the-gioi-7/cac-ngoai-truong-nato-17DA1F52C.html"),
    (Clo, "https://congluan.vn/thoi-su.html"),
    (Clo, "https://congluan.vn/doanh-nghiep--doanh-nhan.html"),
    (Clo, "https://congluan.vn/rss/kinh-te.rss"),
    (Tgvn, "https://baoquocte.vn/the-gioi"),
    (Tgvn, "https://baoquocte.vn/tag/gia-ca-phe-hom-nay-185757.tag"),
    (Tgvn, "https://en.baoquocte.vn/vietnam-and-nato-294167.html"),  # English edition: out of scope
    (Kinhtedothi, "https://kinhtedothi.vn/thoi-su/"),
    (Kinhtedothi, "https://kinhtedothi.vn/su-kien/719/dai-dich-covid-19.html"),
    (Kinhtedothi, "https://phapluatxahoi.kinhtedothi.vn/bai-viet-ve-phap-luat-123456.html"),  # separate product
    (Kinhtedothi, "https://kinhtedothi.vn/gioi-thieu-bao-kinh-te-do-thi.html"),
]


@pytest.mark.parametrize(("outlet", "url", "native_id"), ARTICLES)
def test_article_urls_are_recognised_with_their_native_id(outlet, url, native_id):
    assert outlet.is_article_url(url)
    assert outlet.native_id(url) == native_id


@pytest.mark.parametrize(("outlet", "url"), NOT_ARTICLES)
def test_non_article_urls_are_rejected(outlet, url):
    assert not outlet.is_article_url(url)


@pytest.mark.parametrize(
    ("outlet", "url", "expected"),
    [
        (
            Antv,
            "https://www.antv.gov.vn/the-gioi-7/nato-17DA1F52C.html",
            "https://antv.gov.vn/the-gioi-7/nato-17DA1F52C.html",
        ),
        (
            Antv,
            "http://beta.antv.gov.vn/the-gioi-7/nato-17DA1F52C.html#top",
            "https://antv.gov.vn/the-gioi-7/nato-17DA1F52C.html",
        ),
        (
            Clo,
            "https://WWW.congluan.vn/a-b-post244164.html?utm_source=facebook&utm_medium=social&fbclid=x1",
            "https://congluan.vn/a-b-post244164.html",
        ),
        (Clo, "https://congluan.vn/a-b-post244164.html?zarsrc=30&gidzl=abc", "https://congluan.vn/a-b-post244164.html"),
        (Tgvn, "https://baoquocte.vn/the-gioi&s_cond=&BRSR=15", "https://baoquocte.vn/the-gioi&s_cond=&BRSR=15"),
        (Tgvn, "https://baoquocte.vn/x-1.html?b=2&a=1&utm_campaign=c", "https://baoquocte.vn/x-1.html?a=1&b=2"),
        (Kinhtedothi, "http://www.kinhtedothi.vn/gia-vang.692315.html", "https://kinhtedothi.vn/gia-vang.692315.html"),
    ],
)
def test_canonical_url_folds_hosts_and_drops_tracking(outlet, url, expected):
    assert canonical_url(url, outlet) == expected


def test_canonical_url_leaves_other_hosts_alone():
    assert canonical_url("http://example.com/a?utm_source=x&b=1", Antv) == "http://example.com/a?b=1"


EDGE_URLS = [
    "https://kinhtedothi.vn/ha-noi-khoi-cong-cau-vuot.731245.html",
    "https://kinhtedothi.vn/",
    "https://kinhtedothi.vn",
    "https://kinhtedothi.vn/a/../b.html",
    "https://kinhtedothi.vn/./b.html",
    "https://kinhtedothi.vn/a/./b.html",
    "https://kinhtedothi.vn/a/..",
    "https://kinhtedothi.vn//b.html",
    "https://kinhtedothi.vn/%7Eb.html",
    "https://kinhtedothi.vn/~b_c-d.E.html",
    "https://kinhtedothi.vn/a.",
    "https://KinhTeDoThi.vn/a.html",
    "HTTPS://kinhtedothi.vn/a.html",
    "https://kinhtedothi.vn./a.html",
    "https://kinhtedothi.vn:443/a.html",
    "https://kinhtedothi.vn/a.html?b=2&a=1",
    "https://kinhtedothi.vn/a.html#top",
    "https://kinhtedothi.vn/tin tức.html",
    "https://kinhtedothi.vn/tin-tức.html",
    "https://xn--kinhtdthi-9za.vn/a.html",
    "ftp://kinhtedothi.vn/a.html",
]


def test_urls_taken_as_already_canonical_are_what_w3lib_makes_of_them():
    """The shortcut of canonical_url (ALREADY_CANONICAL) answers w3lib's canonicalisation for every URL it takes:
    the edge cases above, and every link of the replica's pages."""
    from w3lib.url import canonicalize_url, url_query_cleaner

    from crawler.replica.server import ReplicaServer
    from crawler.urls import ALREADY_CANONICAL, TRACKING_PARAMETERS

    replica = ReplicaServer(articles_per_outlet=20)
    hrefs = set(EDGE_URLS)
    for site in {id(site): site for site in replica.sites.values()}.values():
        for article in site.articles:
            body = site.handle(article.path).body.decode("utf-8", "replace")
            hrefs.update(site.abs(href) for href in re.findall(r'href="([^"]+)"', body) if not href.startswith("#"))
    taken = [url for url in hrefs if ALREADY_CANONICAL.fullmatch(url)]
    assert len(taken) > 50
    for url in taken:
        assert canonicalize_url(url_query_cleaner(url, TRACKING_PARAMETERS, remove=True, keep_fragments=False)) == url
