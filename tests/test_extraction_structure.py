"""Extraction rules that must hold on markup no replica template uses: captions recognised by structure, a lead
or a date that only a teaser after the article offers, an article header in a ``<header>``. Each page is small
and hand-written; the expected values are read off the page, not taken from the extractor's output."""

from __future__ import annotations

import pytest

from crawler import outlets
from crawler.extraction import NotAnArticle, extract

PARAGRAPHS = (
    "Theo kết quả điều tra ban đầu, tài xế đã điều khiển xe chạy quá tốc độ cho phép và lấn sang làn đường dành "
    "cho xe máy, tông vào hai người đi xe máy cùng chiều.",
    "Kết quả kiểm tra cho thấy nồng độ cồn trong hơi thở của tài xế vượt mức quy định, cơ quan điều tra đã ra "
    "quyết định khởi tố vụ án và bắt tạm giam bị can để điều tra.",
    "Vụ việc đang được Công an tỉnh tiếp tục điều tra, làm rõ để xử lý theo quy định của pháp luật hiện hành.",
)
LEAD = (
    "(ANTV) - Cơ quan Cảnh sát điều tra Công an tỉnh Hưng Yên đã ra quyết định khởi tố vụ án, khởi tố bị can, "
    "bắt tạm giam tài xế xe tải gây tai nạn làm 2 người tử vong."
)
TITLE = "Khởi tố tài xế xe tải gây tai nạn làm 2 người tử vong"
URL = "https://antv.gov.vn/phap-luat-3/khoi-to-tai-xe-xe-tai-gay-tai-nan-lam-2-nguoi-tu-vong-F5518F4F5.html"
CAPTION = "Hiện trường vụ tai nạn trên quốc lộ 5. Ảnh: Hoàng Long"
TEASER_SAPO = "(ANTV) - Lực lượng chức năng đã kiểm tra một kho hàng tại huyện Gia Lâm, phát hiện hàng nghìn sản phẩm."
IMAGE = (
    '<img class="lazy" src="/images/blank.gif" data-src="https://antv.gov.vn/uploaded/news/2026/01/09/hien-truong.jpg"'
    ' alt="hien truong vu tai nan">'
)


def page(article: str, after: str = "", head: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{TITLE} - ANTV</title>{head}</head>
<body><div class="top"><span>Thứ Tư, 04/02/2026 03:19 GMT+7</span> Hotline: 0692324026</div>
<div class="c-1 z2">{article}</div>{after}
<div class="f9"><p>Cơ quan chủ quản: Bộ Công an</p></div></body></html>"""


def related_box(heading: str = "Tin khác") -> str:
    return f"""<div class="q-3"><h3 class="t-1">{heading}</h3>
<div class="x-2"><a href="/kinh-te-5/phat-hien-kho-hang-lau-40C5EDA23.html"><img src="https://antv.gov.vn/thumb/kho.jpg"
 alt="Phát hiện kho hàng lậu" width="160" height="100"></a><div class="cd">Kinh tế 10/01/2026</div>
<div class="sapo">{TEASER_SAPO}</div></div>
<div class="x-2"><a href="/xa-hoi-4/tuoi-tre-cong-an-ra-quan-8DE3F6FD2.html"><img src="https://antv.gov.vn/thumb/tt.jpg"
 alt="Tuổi trẻ Công an ra quân" width="160" height="100"></a><div class="cd">Xã hội 28/12/2025</div>
<div class="sapo">(ANTV) - Đoàn Thanh niên Công an TP Hà Nội tổ chức chương trình tình nguyện mùa đông.</div>
</div></div>"""


def body_with(image_block: str) -> str:
    first, second, third = (f"<p>{p}</p>" for p in PARAGRAPHS)
    return f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7">{first}{image_block}{second}{third}</div>'


@pytest.mark.parametrize(
    "image_block",
    [
        # an image box with an unclassed-looking caption line: "desc" under the photo
        f'<div class="m-12"><div class="ph">{IMAGE}</div><div class="desc">{CAPTION}</div></div>',
        # the caption is the element right after the image's wrapper
        f'<div class="img-wrap">{IMAGE}</div><p class="caption">{CAPTION}</p>',
        # the image and an italic line in one paragraph
        f"<p>{IMAGE}<br><em>{CAPTION}</em></p>",
        # an italic paragraph right after a bare image
        f"{IMAGE}<p><em>{CAPTION}</em></p>",
        # a centred line with a photo credit
        f'<p>{IMAGE}</p><p style="text-align: center">{CAPTION}</p>',
    ],
    ids=["image-box", "next-sibling", "same-paragraph", "italic-next", "centred-credit"],
)
def test_caption_found_by_structure_belongs_to_the_image(image_block):
    article = extract(page(body_with(image_block)), URL)
    assert [(image.url, image.caption) for image in article.images] == [
        ("https://antv.gov.vn/uploaded/news/2026/01/09/hien-truong.jpg", CAPTION)
    ]
    assert article.lead == LEAD
    assert article.body.split("\n\n") == list(PARAGRAPHS)


def test_a_short_article_paragraph_beside_its_photo_is_not_a_caption():
    paragraph = (
        "Sáng 9/1, Công an tỉnh Hưng Yên cho biết đã khởi tố vụ án, khởi tố bị can đối với tài xế xe tải "
        "gây tai nạn trên quốc lộ 5."
    )
    article_html = (
        f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7"><div class="p1">{IMAGE}<p>{paragraph}</p></div></div>'
    )
    article = extract(page(article_html, related_box()), URL)
    assert article.body == paragraph
    assert [image.caption for image in article.images] == [None]


def test_lead_rule_matching_a_teaser_after_the_article_is_not_the_lead():
    # Kinhtedothi's rules try ".sapo"; this layout's own sapo is "h2.detail__sapo", and the only ".sapo" on the
    # page belongs to a teaser in the related box after the article.
    lead = (
        "Kinhtedothi - Theo Trung tâm Dự báo khí tượng thủy văn quốc gia, từ đêm nay Hà Nội trời rét đậm, "
        "nhiệt độ thấp nhất phổ biến 9 - 11 độ C."
    )
    html = page(
        f"""<h1 class="detail__title">Hà Nội rét đậm, nhiệt độ thấp nhất 9 độ C</h1>
<h2 class="detail__sapo"><strong>{lead}</strong></h2>
<div itemprop="articleBody" class="detail__content">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</div>""",
        related_box("Tin liên quan").replace("(ANTV) -", "Kinhtedothi -"),
    )
    article = extract(
        html, "https://kinhtedothi.vn/ha-noi-ret-dam-nhiet-do-thap-nhat-9-do-c.707275.html", outlets.get("kinhtedothi")
    )
    assert article.lead == lead
    assert article.body.split("\n\n") == list(PARAGRAPHS)
    assert "Gia Lâm" not in article.lead + article.body


def test_dates_of_teasers_after_the_article_are_not_its_publication_date():
    body = "<br><br>".join(PARAGRAPHS)
    html = page(
        f'<h1 class="title-detail">{TITLE}</h1><h2 class="sapo">{LEAD}</h2>'
        f'<div class="detail-article"><div class="txt">{body}</div></div>',
        related_box(),
    )
    article = extract(html, URL, outlets.get("antv"))
    assert article.published is None  # the page states no date; "Kinh tế 10/01/2026" is a teaser's
    assert article.body.split("\n\n") == list(PARAGRAPHS)


def test_generic_lead_search_stops_at_the_first_noise_heading():
    # No dateline and no description: the sapo is whatever opens the article, never a teaser's "article-desc".
    lead = "Ukraine đang tìm cách tăng cường quốc phòng và an ninh cùng với NATO khi chuẩn bị thành lập tổ chức chung."
    after = (
        '<div class="box"><div class="cat-head">Tin mới</div><div class="article"><a href="/gia-tieu-295803.html">'
        '<img src="https://baoquocte.vn/thumb/gt.jpg" alt="Giá tiêu hôm nay" width="160" height="100"></a>'
        '<h3><a href="/gia-tieu-295803.html">Giá tiêu hôm nay 18/4: Tăng nhẹ tại Đông Nam Bộ</a></h3>'
        '<div class="article-desc">Giá tiêu hôm nay 18/4 tại thị trường trong nước tăng nhẹ 500 đồng/kg ở một số '
        "địa phương.</div>"
        "</div></div>"
    )
    html = page(
        '<h1 class="z5">Ukraine sẽ gia nhập một tổ chức chung với NATO</h1>'
        f'<div class="q5"><em>{lead}</em></div>'
        f'<div class="z2">{"<br><br>".join(PARAGRAPHS)}</div>',
        after,
    )
    article = extract(html, "https://baoquocte.vn/ukraine-se-gia-nhap-mot-to-chuc-chung-voi-nato-314660.html")
    assert article.lead == lead
    assert "Giá tiêu" not in article.lead + article.body


def test_byline_in_the_article_header_element():
    html = page(
        f'<article><header class="post-head"><h1>{TITLE}</h1><p class="byline">BT</p>'
        f'<time datetime="2025-11-14T09:20:00+07:00">14/11/2025 09:20</time></header>'
        f'<section class="c9"><p>{LEAD}</p>{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</section></article>'
    )
    article = extract(html, URL)
    assert article.author == "BT"
    assert article.published == "2025-11-14T09:20:00+07:00"
    assert article.body.split("\n\n") == list(PARAGRAPHS)


@pytest.mark.parametrize(
    "message", ["Trang bạn tìm không tồn tại", "Nội dung bạn đang tìm đã bị xóa", "Không tìm thấy bài viết"]
)
def test_soft_404_messages(message):
    html = page(f"<h1>{message}</h1><p>Vui lòng quay lại trang chủ.</p>", related_box())
    with pytest.raises(NotAnArticle):
        extract(html, "https://kinhtedothi.vn/bai-viet-khong-ton-tai.707999.html")


@pytest.mark.parametrize("credit", ["Theo TTXVN", "(Nguồn: Reuters, AFP)", "TTXVN/Vietnam+"])
def test_a_closing_source_credit_is_neither_body_nor_author(credit):
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7">{paragraphs}<p><em>{credit}</em></p></div>')
    article = extract(html, URL)
    assert article.body.split("\n\n") == list(PARAGRAPHS)
    assert article.author is None


def test_a_source_credit_under_the_byline_leaves_the_byline_as_author():
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(
        f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7">{paragraphs}<p>Minh Anh</p><p>Theo Reuters</p></div>'
    )
    article = extract(html, URL)
    assert article.author == "Minh Anh"
    assert article.body.split("\n\n") == list(PARAGRAPHS)


def test_bulletin_subheading_opening_the_body_is_not_a_byline():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7"><p><strong>Châu Mỹ</strong></p>{body}</div>')
    article = extract(html, URL)
    assert article.author is None
    assert article.body.split("\n\n") == ["Châu Mỹ", *PARAGRAPHS]


def test_font_size_widget_under_the_title_is_not_a_byline():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(
        f'<h1>{TITLE}</h1><div class="tools"><a href="#">Nhỏ</a> <a href="#">Bình thường</a> '
        f'<a href="#">Lớn</a></div><p class="s0">{LEAD}</p><div class="b7">{body}</div>'
    )
    assert extract(html, URL).author is None


def test_ad_label_and_video_embed_caption_are_not_body():
    first, second, third = (f"<p>{p}</p>" for p in PARAGRAPHS)
    video = (
        '<figure class="v"><div><iframe src="https://www.youtube.com/embed/h8Zr2VbQx1M"></iframe></div>'
        "<figcaption>Lễ ra quân tại Hưng Yên. (Video: Truyền hình Hưng Yên)</figcaption></figure>"
    )
    advert = '<div class="slot-4"><span>Quảng cáo</span><ins data-ad-slot="8812"></ins></div>'
    html = page(f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7">{first}{video}{second}{advert}{third}</div>')
    assert extract(html, URL).body.split("\n\n") == list(PARAGRAPHS)


def test_search_page_is_not_an_article():
    teasers = "".join(
        f'<div class="it"><h3><a href="/gia-sau-rieng-{n}-3140{n}.html">Giá sầu riêng hôm nay {n}/2: '
        f"Sầu riêng Ri6 tăng mạnh tại miền Tây</a></h3><p>{PARAGRAPHS[n % 3]}</p></div>"
        for n in range(1, 6)
    )
    html = page(f"<h1>Kết quả tìm kiếm cho: sầu riêng</h1><p>Tìm thấy 128 kết quả</p>{teasers}")
    with pytest.raises(NotAnArticle):
        extract(html, "https://baoquocte.vn/search_enginer.html?p=tim-kiem&q=sau+rieng")


def test_headline_in_an_h2_when_the_only_h1_is_the_logo():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = (
        f'<html><head><title>Tài xế bị khởi tố - ANTV</title></head><body><header><h1 class="logo"><a href="/">'
        f'Truyền hình Công an nhân dân</a></h1></header><main><article class="post"><h2 class="post-title">{TITLE}'
        f'</h2><p class="s0">{LEAD}</p><div class="b7">{body}</div></article></main></body></html>'
    )
    assert extract(html, URL).title == TITLE


def test_amp_image_and_table_caption_element():
    first, second, third = (f"<p>{p}</p>" for p in PARAGRAPHS)
    amp = (
        '<figure><amp-img src="https://antv.gov.vn/uploaded/amp-1.jpg" width="800" height="450" '
        'layout="responsive">'
        f"</amp-img><figcaption>{CAPTION}</figcaption></figure>"
    )
    table = (
        '<table class="pic"><caption>Diễn biến giá dầu Brent trong tháng 9. (Nguồn: Bloomberg)</caption><tr><td>'
        '<img src="https://antv.gov.vn/uploaded/chart.jpg" alt="bieu do"></td></tr></table>'
    )
    content = f"{first}{amp}{second}{table}{third}"
    article = extract(page(f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7">{content}</div>'), URL)
    assert [(image.url, image.caption) for image in article.images] == [
        ("https://antv.gov.vn/uploaded/amp-1.jpg", CAPTION),
        ("https://antv.gov.vn/uploaded/chart.jpg", "Diễn biến giá dầu Brent trong tháng 9. (Nguồn: Bloomberg)"),
    ]
    assert article.body.split("\n\n") == list(PARAGRAPHS)


@pytest.mark.parametrize(
    "byline, author",
    [("Nhóm phóng viên", None), ("Minh Anh - Thu Hà", "Minh Anh, Thu Hà"), ("Bài và ảnh: Ngọc Lan", "Ngọc Lan")],
)
def test_closing_byline_forms(byline, author):
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = page(f'<h1>{TITLE}</h1><p class="s0">{LEAD}</p><div class="b7">{body}<p><strong>{byline}</strong></p></div>')
    article = extract(html, URL)
    assert article.author == author
    assert article.body.split("\n\n") == list(PARAGRAPHS)


def test_a_short_article_listed_in_its_own_sidebar_is_not_a_listing():
    # Fetched through a feed's tracking link, the article's own "Tin mới" box lists it under its plain URL, with
    # its sapo: a teaser of "another page" as far as the URLs tell. The sidebar is not where the article's text
    # comes from, so it cannot make the article a page of teasers.
    paragraph = PARAGRAPHS[2]
    others = [
        (f"/kinh-te-5/tin-{n}-40C5EDA2{n}.html", f"Tin thứ {n} của mục Tin mới trên trang", f"{TEASER_SAPO} ({n})")
        for n in range(1, 6)
    ]
    items = "".join(
        f'<div class="x-2"><a href="{href}">{headline}</a><div class="sp">{sapo}</div></div>'
        for href, headline, sapo in [(URL, TITLE, LEAD), *others]
    )
    sidebar = f'<div class="q-3"><h3 class="t-1">Tin mới</h3>{items}</div>'
    html = page(
        f'<h1 class="title-detail">{TITLE}</h1><h2 class="sapo">{LEAD}</h2>'
        f'<div class="detail-article"><div class="txt"><p>{paragraph}</p></div></div>',
        sidebar,
    )
    article = extract(html, URL + "?utm_source=rss&utm_medium=feed", outlets.get("antv"))
    assert article.lead == LEAD
    assert article.body == paragraph
