"""Stored text is safe to print and to render (issue 12, item 4): no control or bidirectional-override character in
any stored text field, only web image URLs, every attribute of the report escaped."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from lxml import html as lxml_html

from crawler.corpus.report import render_report
from crawler.extraction.images import collect_images
from crawler.items import Article, Image
from crawler.storage import open_database, save_articles
from pipelines.clean import _UNSAFE, CleanPipeline, printable

ESC = "\x1b"
RLO = "\u202e"  # right-to-left override
UNSAFE = [ESC, RLO, "\u202a", "\u2066", "\u2069", "\x00", "\x07", "\x7f", "\x9b", "\x85", "\x0b"]


def test_every_text_field_loses_controls_and_bidi_overrides():
    dirty = "".join(UNSAFE)
    article = Article(
        outlet="clo",
        url="https://congluan.vn/a-post1.html",
        title=f"{ESC}[2J{ESC}[31mTin{RLO}gnóng{dirty}",
        lead=f"(CLO) Mở{ESC}[0m đầu{RLO}.",
        body=f"Đoạn\tmột{ESC}{RLO}\x00\x9b\u2067.\n\nĐoạn{ESC}]0;pwned\x07 hai.\x0bHết",
        author=f"Tác{RLO} giả{ESC}",
        category="Thời\u2066 sự",
        tags=[f"tag{ESC}", "tag"],
        images=[Image(url="https://congluan.vn/a.jpg", caption=f"Ảnh{RLO}\x9b")],
        fetched_at="2026-11-20T03:00:00+00:00",
    )
    cleaned = CleanPipeline().process_item(article)
    fields = [
        cleaned.title,
        cleaned.lead,
        cleaned.body,
        cleaned.author,
        cleaned.category,
        *cleaned.tags,
        cleaned.images[0].caption,
    ]
    for field in fields:
        assert not any(char in field for char in UNSAFE), repr(field)
        assert "\t" not in field
    assert cleaned.title == "[2J[31mTingnóng"
    assert cleaned.body == "Đoạn một.\n\nĐoạn]0;pwned hai. Hết"  # tab and vertical tab: a space; newlines kept
    assert cleaned.tags == ["tag"]
    assert cleaned.author == "Tác giả" and cleaned.category == "Thời sự" and cleaned.images[0].caption == "Ảnh"


def test_only_http_and_https_image_urls_are_kept():
    page = lxml_html.fromstring("""<div>
        <img src="javascript:alert(1)">
        <img src=" JavaScript:alert(2)">
        <img src="vbscript:msgbox(3)">
        <img src="file:///etc/passwd">
        <img src="data:image/png;base64,AAAA">
        <img data-src="java&#9;script:alert(4)" src="/real.jpg">
        <img src="//cdn.congluan.vn/b.jpg">
    </div>""")
    urls = [image.url for image in collect_images(page, "https://congluan.vn/a-post1.html")]
    assert urls == ["https://congluan.vn/real.jpg", "https://cdn.congluan.vn/b.jpg"]


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def test_report_escapes_every_attribute_value(tmp_path):
    hostile = '"><script>alert(1)</script><x a="'
    with open_database(tmp_path / "articles.db") as db:
        save_articles(
            db,
            [
                Article(
                    outlet=hostile,
                    url="https://congluan.vn/a-post1.html",
                    title="Tin",
                    lead="(CLO) Mở đầu.",
                    body="Nội dung.",
                    published="2026-11-20T08:00:00+07:00",
                    fetched_at="2026-11-20T03:00:00+00:00",
                )
            ],
        )
        db["failures"].insert(
            {
                "outlet": hostile,
                "url": "https://congluan.vn/x",
                "reason": "http_404",
                "first_seen": "2026-11-20T03:00:00+00:00",
                "last_seen": "2026-11-20T03:00:00+00:00",
                "attempts": 1,
            }
        )
        page = render_report(db)
    parser = _Attributes()
    parser.feed(page)
    assert "script" not in [tag for tag, _ in parser.elements]
    outlets = [attrs["data-outlet"] for tag, attrs in parser.elements if "data-outlet" in attrs]
    assert outlets and set(outlets) == {hostile}  # the value survives, as text, inside its attribute
    assert json.dumps(page).count("<script>") == 0


def test_printable_is_the_translation_on_every_character() -> None:
    """The regular expression that skips the translation finds every character the translation would change."""
    for code in range(0x110000):
        text = f"a{chr(code)}b"
        assert printable(text) == text.translate(_UNSAFE), hex(code)
