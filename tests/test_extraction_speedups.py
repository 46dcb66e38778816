"""The shortcuts that make extraction fast give what the plain computations give: element texts remembered during
one extraction follow the removals, ``has_text`` answers like ``element_text``, ``following`` walks like XPath's
``following::*``, a selector naming a class or id the page lacks matches nothing without a query, ``text_longer_than``
answers like the length of ``element_text``, ``_same_page`` like ``urljoin``."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urljoin

import lxml.html
import pytest

from crawler.extraction.core import _same_page
from crawler.extraction.html import css, following, page_names, parse, xpath
from crawler.extraction.noise import drop
from crawler.extraction.text import (
    CASE_ODDITIES,
    WordGated,
    element_text,
    element_texts_cached,
    gate_key,
    has_text,
    normalize,
    text_longer_than,
)

PAGE = """<html><head><title>Tiêu đề</title></head><body>
<div id="page"><header><h1 id="title">Tiêu đề bài viết</h1><span>20/11/2026</span></header>
<div id="body"><p id="lead">(ANTV) - Sapo của bài viết.</p>
<div id="related"><h3>Tin liên quan</h3><ul><li><a href="/a.html">Tin khác một</a></li></ul></div> sau hộp
<p id="last">Đoạn cuối <b>in đậm</b> và <i>nghiêng</i>.</p></div></div>
<footer><p>Bản quyền</p></footer></body></html>"""


def uncached_text(element) -> str:
    return normalize("".join(element.itertext()))


def test_remembered_texts_follow_removals() -> None:
    tree = parse(PAGE)
    body = tree.get_element_by_id("body")
    with element_texts_cached():
        before = {element: element_text(element) for element in tree.iter()}  # every text remembered
        related = tree.get_element_by_id("related")
        drop(related)  # its tail (" sau hộp") moves onto the sapo paragraph
        drop(tree.get_element_by_id("last").find("i"))
        for element in [*tree.iter(), related, *related.iter()]:
            assert element_text(element) == uncached_text(element)
        assert "Tin liên quan" not in element_text(body) and "sau hộp" in element_text(body)
        assert element_text(related) == before[related]  # a removed element keeps its own text
    assert "Tin liên quan" in before[body]


@pytest.mark.parametrize(
    "markup, expected",
    [
        ("<div>\n  <span> </span>\u200b<b>\u00a0</b>\n</div>", False),  # whitespace and invisible characters only
        ("<div>\n  <span> </span><b>x</b></div>", True),
        ("<div><span>\u00ad</span> <i>Chữ</i></div>", True),
        ("<div></div>", False),
    ],
)
def test_has_text_answers_like_element_text(markup: str, expected: bool) -> None:
    element = lxml.html.fragment_fromstring(markup)
    assert has_text(element) is expected is bool(element_text(element))
    with element_texts_cached():
        element_text(element)
        assert has_text(element) is expected


def test_following_is_xpath_following_axis() -> None:
    tree = parse(PAGE)
    for element in tree.iter():
        assert list(following(element)) == xpath(element, "following::*")
    assert [e.get("id") for e in following(tree.get_element_by_id("title")) if e.get("id")] == [
        "body",
        "lead",
        "related",
        "last",
    ]


@pytest.mark.parametrize(
    "selector",
    [
        "#body p",
        "div#body",
        "#missing p",
        ".gone",
        "div.gone, p",
        "p:not(.gone)",
        "ul li a",
        "div#body > p#last b",
        "header h1#title",
        "#page .gone",
        "a[href$='.html']",
        "h3 + ul",
        "p:last-child",
        "#Body",  # ids are exact
    ],
)
def test_selectors_answer_alike_with_the_page_names(selector: str) -> None:
    tree = parse(PAGE.replace("<ul>", '<ul class="list  tin\tkhac">'))
    plain = css(tree, selector)
    with page_names(tree):
        assert css(tree, selector) == plain
        drop(tree.get_element_by_id("related"))  # names read before a removal stay a superset
        after = css(tree, selector)
    assert after == css(tree, selector)


def test_page_names_split_class_words_like_xpath() -> None:
    tree = parse(PAGE.replace("<ul>", '<ul class="list  tin\tkhac">'))
    with page_names(tree):
        assert [e.tag for e in css(tree, "ul.tin")] == ["ul"]  # a word after a tab
        assert [e.tag for e in css(tree, ".khac li")] == ["li"]


LONG_TEXTS = [
    "<div>" + "<p>Đoạn văn \u00a0\u00a0 có   khoảng trắng\u200b và chữ.</p>\n    " * 40 + "</div>",
    "<div>" + "e<b>\u0302\u0301</b> " * 300 + "</div>",  # combining marks at the start of a text node: NFC composes
    "<div>" + " " * 2000 + "x" * 50 + "\u200b" * 900 + " y</div>",  # blanks and invisible characters before the text
    "<div>" + ("\u00a0" * 30 + "ab ") * 60 + "</div>",
    "<div><p>ngắn</p></div>",
]


@pytest.mark.parametrize("markup", LONG_TEXTS)
@pytest.mark.parametrize("limit", [0, 1, 20, 45, 100, 700, 5000])
def test_text_longer_than_answers_like_element_text(markup: str, limit: int) -> None:
    elements = list(lxml.html.fragment_fromstring(markup).iter())
    with element_texts_cached():
        for element in elements:
            assert text_longer_than(element, limit) is (len(uncached_text(element)) > limit)
        for element in elements:  # what it remembered (a text, or a bound over the limit) answers alike
            assert text_longer_than(element, limit) is (len(uncached_text(element)) > limit)
            assert has_text(element) is bool(uncached_text(element))
            assert element_text(element) == uncached_text(element)


BASES = [
    "https://antv.gov.vn/tin-tuc/bai-123.html",
    "https://x.vn/a/b/",
    "http://x.vn/a/b?x=1#f",
    "https://x.vn",
    "https://x.vn/a/b;p?q",
    "https://x.vn/a/bai-123.html?utm=1",
]
HREF_PARTS = [
    "",
    "/",
    ".",
    "..",
    "bai-123.html",
    "b",
    "?x=1",
    "#f",
    ";p",
    "http:",
    "https:",
    "//x.vn",
    "//y.vn",
    "HTTP:",
    "\t",
    " ",
    "x.vn",
    ":",
    "%20",
    "ftp:",
    "a/",
    "bài",
]


def test_same_page_is_urljoin() -> None:
    hrefs = {"".join(parts).strip() for size in (1, 2, 3) for parts in itertools.product(HREF_PARTS, repeat=size)}
    for base in BASES:
        for href in hrefs - {""}:
            assert _same_page(base, href) is (urljoin(base, href).split("#")[0] == base.split("#")[0]), (base, href)


# Lines each of the widget patterns was written for, lines that open like one and go on as prose, and prose.
WIDGET_AND_PROSE_LINES = [
    "Theo dõi TGVN trên",
    "Theo dõi Báo Công luận trên Google News để đọc tin nhanh",
    "Lượt xem: 1.234",
    "Cỡ chữ: nhỏ bình thường lớn",
    "12 bình luận",
    "Xem thêm",
    "Facebook Zalo",
    "12/03/2025 09:15 · 5 phút đọc",
    "Nghe bài viết",
    "A- A A+",
    "TEXT SIZE",
    "Đang phát",
    "00:00 / 03:12",
    "Follow us on Twitter",
    "(Reporting by Ann Lee; Editing by Bob Ray)",
    "Jane Doe contributed reporting.",
    "Write to Jane Doe at jane@example.com",
    "jane@example.com",
    "AP-US-Storms-Weather, 1st Ld-Writethru",
    "[button link=/review]Send us your review[/button]",
    "[button link=/review]Send us your review[/note]",
    "Ảnh: Hồng Hạnh",
    "Image 1 of 8",
    "Quảng cáo",
    "Từ khóa: Hà Nội, giao thông",
    "Tòa soạn: 11 Hồ Xuân Hương, Hà Nội",
    "© 2026 Báo Tin Mẫu",
    "Thứ Hai, 20/11/2026 15:14",
    "Rất hay",
    "Xem thêm các bài viết khác của chuyên mục giao thông đô thị, nơi độc giả theo dõi hằng ngày tin tức mới",
    "Ảnh chụp từ trên cao cho thấy dòng người đổ về trung tâm thành phố từ sáng sớm để xem pháo hoa",
    "Theo Ban Quản lý dự án, phần cầu chính có kết cấu dây văng với hai trụ tháp cao 120 m.",
    "Email is the way most readers reach the newsroom, the editor said.",
]


@pytest.mark.parametrize(
    "line",
    [
        *WIDGET_AND_PROSE_LINES,
        "Jane Doe may be reached at 555-0100.",
        "Comments are moderated before they appear.",
        "Jane Doe contrıbuted reporting.",  # a dotless i, which re's case folding takes for an i
    ],
)
def test_the_widget_lines_pattern_matches_like_its_patterns(line: str) -> None:
    """NOISE_LINE (NOISE_LINES joined into one pattern) and the word-gated patterns answer like the patterns one
    by one."""
    from crawler.extraction.noise import _GATED_NOISE_LINES, NOISE_LINE, NOISE_LINES

    plain = [p.pattern if isinstance(p, WordGated) else p for p in NOISE_LINES]
    for text in (line, line.upper(), line.lower()):
        joined = NOISE_LINE.match(text) is not None or any(p.search(text, gate_key(text)) for p in _GATED_NOISE_LINES)
        assert joined == any(p.search(text) for p in plain)


def _word_gates() -> list[WordGated]:
    from crawler.extraction import noise

    gates = [value for value in vars(noise).values() if isinstance(value, WordGated)]
    return gates + [p for p in noise.NOISE_LINES if isinstance(p, WordGated)]


def _shortest_matches(pattern: re.Pattern[str]) -> set[str]:
    """Texts ``pattern`` may match, one per combination of its alternatives: each repeat at its minimum and once
    more, a class by a member, any character as a space. (Some are no match, a word boundary unmet: the caller
    keeps those the pattern matches.)"""
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    categories = {c.CATEGORY_DIGIT: "0", c.CATEGORY_SPACE: " ", c.CATEGORY_WORD: "a", c.CATEGORY_NOT_WORD: " "}

    def sequence(items) -> set[str]:
        texts = {""}
        for op, argument in items:
            texts = {a + b for a in texts for b in element(op, argument)}
            assert len(texts) < 20_000, "too many combinations to enumerate"
        return texts

    def element(op, argument) -> set[str]:
        if op is c.LITERAL:
            return {chr(argument)}
        if op is c.NOT_LITERAL:
            return {"x" if chr(argument) != "x" else "y"}
        if op is c.ANY:
            return {" "}
        if op is c.IN:
            kind, value = argument[0]
            assert kind is not c.NEGATE, f"a negated class is not enumerated: {pattern.pattern}"
            return {chr(value) if kind is c.LITERAL else chr(value[0]) if kind is c.RANGE else categories[value]}
        if op is c.BRANCH:
            return set().union(*(sequence(branch) for branch in argument[1]))
        if op is c.SUBPATTERN:
            return sequence(argument[-1])
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _, inner = argument
            once = sequence(inner)
            texts = {""}
            for _ in range(low):
                texts = {a + b for a in texts for b in once}
            return texts | {a + b for a in texts for b in once}
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            return {""}
        raise AssertionError(f"no enumeration for {op} in {pattern.pattern}")

    return sequence(_parser.parse(pattern.pattern, pattern.flags))


@pytest.mark.parametrize("gate", _word_gates(), ids=lambda gate: gate.pattern.pattern[:40])
def test_every_match_of_a_word_gated_pattern_holds_one_of_its_words(gate: WordGated) -> None:
    matched = [text for text in _shortest_matches(gate.pattern) if gate.pattern.search(text)]
    assert matched, "the enumeration found no match: it no longer reads this pattern"
    for text in matched:
        for variant in (text, text.upper(), text.title()):
            if gate.pattern.search(variant):
                assert gate.admits(gate_key(variant)), (variant, gate.words)
    # and the gate does shut: a line of prose holding none of the words is not searched
    prose = "Theo Ban Quản lý dự án, phần cầu chính có kết cấu dây văng với hai trụ tháp cao 120 m"
    assert not any(word in prose.lower() for word in gate.words) or not gate.admits(gate_key(prose))


def test_the_case_oddities_are_every_character_re_folds_to_a_letter_of_the_gates_words_apart_from_lower() -> None:
    import sys

    letters_ = {char for gate in _word_gates() for word in gate.words for char in word if char.isalpha()}
    every_character = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    odd = {
        found
        for letter in letters_
        for found in re.findall(f"(?i){re.escape(letter)}", every_character)
        if found.lower() != letter
    }
    assert odd, "re's case folding takes some characters for these letters (dotless i, long s)"
    assert all(CASE_ODDITIES.fullmatch(char) for char in odd), sorted(odd - set("\u0130\u0131\u017f"))


def test_the_widget_line_patterns_are_anchored_and_flagged_as_the_joined_pattern_keeps_them() -> None:
    from crawler.extraction.noise import NOISE_LINES

    for entry in NOISE_LINES:
        pattern = entry.pattern if isinstance(entry, WordGated) else entry
        assert pattern.flags & ~(re.IGNORECASE | re.UNICODE) == 0, pattern.pattern
        assert pattern.groups == len(pattern.groupindex), f"a numbered group would be renumbered: {pattern.pattern}"
        assert all(branch.startswith("^") for branch in _top_level_branches(pattern.pattern)), pattern.pattern


def _top_level_branches(source: str) -> list[str]:
    branches, depth, start, escaped = [], 0, 0, False
    for index, char in enumerate(source):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            branches.append(source[start:index])
            start = index + 1
    return [*branches, source[start:]]


def _every_outlet_selector() -> list[str]:
    from crawler import outlets

    selectors = {
        selector
        for outlet in outlets.registry()
        for name in dir(outlet)
        if name.endswith("_selectors")
        for selector in getattr(outlet, name)
    }
    # and the forms the attribute axis is taken for, beside those it is not
    selectors |= {"#main .x a", "div#a.b", ".a.b", "div.x > p:first-child", "ul li.active a", "p.x + p", "[class~=x]"}
    return sorted(selectors)


def test_selectors_along_the_attribute_axis_select_what_lxml_selects() -> None:
    """Every selector of every registered outlet (and some forms beside them), compiled with its class and id tests
    on the attribute axis, selects the elements lxml's own CSSSelector selects, in the same order: on the replica's
    pages of every outlet in both layouts, from the document and from each page's article container."""
    from lxml.cssselect import CSSSelector

    from crawler.extraction.html import _compiled
    from crawler.replica.server import ReplicaServer

    pages = []
    for layout in ("standard", "redesign"):
        replica = ReplicaServer(articles_per_outlet=12, layout=layout)
        for site in {id(site): site for site in replica.sites.values()}.values():
            pages += [parse(site.handle(article.path).body) for article in site.articles]
    roots = pages + [element for tree in pages for element in tree.iter("article", "main")]
    checked = 0
    for selector in _every_outlet_selector():
        ours, lxmls = _compiled(selector), CSSSelector(selector, translator="html")
        assert ours is not None
        for root in roots:
            expected = lxmls(root)
            assert ours(root) == expected, selector
            checked += bool(expected)
    assert checked > 500  # the selectors do select on these pages


@pytest.mark.parametrize(
    "paragraph",
    [
        "A view of the harbour at dawn... more",
        "A view of the harbour at dawn.Show lessCouncil members met",
        "Ảnh: toàn cảnh cầu Rạch Miễu 2 Xem Thêm",
        "Ảnh: toàn cảnh cầu Rạch Miễu 2 xem  thêm",  # two spaces: the pattern wants one, the key has none
        "Chú thích THU GỌN",
        "Giá nhà tiếp tục tăng trong quý IV, theo báo cáo của Bộ Xây dựng.",
        "Moreover, the council said the plan was final.",
        "Nevertheless, the result was clear",
        "The harbour, seen from the hill, at dawn: ſhow leſs",  # long s, which re's case folding takes for an s
    ],
)
def test_the_caption_toggle_precheck_answers_like_the_pattern(paragraph: str) -> None:
    from crawler.extraction.core import CAPTION_TOGGLE, _has_toggle

    for text in (paragraph, paragraph.upper(), paragraph.lower()):
        text = normalize(text)
        assert _has_toggle(text) == (CAPTION_TOGGLE.search(text) is not None), text


def test_precedes_orders_elements_as_a_walk_of_the_tree_does() -> None:
    from crawler.extraction.html import precedes

    tree = parse(PAGE)
    order = list(tree.iter())
    for (i, first), (j, second) in itertools.product(enumerate(order), repeat=2):
        assert precedes(first, second) is (i < j), (first.tag, first.get("id"), second.tag, second.get("id"))
    detached = lxml.html.fromstring("<div><p>khác</p></div>")
    assert not precedes(detached, tree) and not precedes(tree, detached)


@pytest.mark.parametrize("html", LONG_TEXTS)
def test_text_starts_with_answers_like_the_whole_text(html: str) -> None:
    from crawler.extraction.text import text_starts_with

    tree = parse(f"<html><body>{html}</body></html>")
    for element in tree.iter():
        whole = uncached_text(element)
        prefixes = {whole[:n] for n in (0, 1, 5, 40, 80, 200, 1000, len(whole))} | {whole[:40] + "x", "zz"}
        for prefix in prefixes:
            with element_texts_cached():
                assert text_starts_with(element, prefix) == whole.startswith(prefix), (element.tag, prefix[:30])


def test_every_player_line_passes_the_opening_precheck() -> None:
    """The player-chrome precheck normalises only pieces that open like a player line: every character re's
    case-insensitive match takes for a player line's first one passes, with the blanks and invisible characters
    normalize drops before it."""
    import sys

    from crawler.extraction.noise import PLAYER_LINE, _may_open_player_line

    lines = {text for text in _shortest_matches(PLAYER_LINE) if PLAYER_LINE.match(text)}
    assert lines
    openings = {line[0] for line in lines}
    every_character = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    for opening in openings:
        for char in re.findall(r"\d" if opening.isdecimal() else f"(?i){re.escape(opening)}", every_character):
            assert _may_open_player_line(char + "x"), hex(ord(char))
    for line in lines:
        for piece in (line, line.upper(), f"\n\t {line} ", f"\u200b{line}", f"\u00a0\u200d {line.title()}"):
            assert PLAYER_LINE.match(normalize(piece)), piece
            assert _may_open_player_line(piece), piece
    assert not _may_open_player_line("\n   Giá nhà tiếp tục tăng"), "a paragraph that opens otherwise is skipped"


def test_letters_keeps_the_word_characters_as_the_word_pattern_finds_them() -> None:
    import sys

    from crawler.extraction.text import letters

    every_character = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
    lines = [
        every_character,
        "Giá nhà “tiếp tục” tăng – 12,5% trong quý IV…",
        "snake_case và «ngoặc kép», 100 000 đồng",
        "ẞtraße İstanbul ǅemal",
        " \u00a0 ",
        "",
    ]
    for line in lines:
        assert letters(line) == "".join(re.findall(r"\w+", normalize(line).casefold())), line[:30]


def _normalize_the_long_way(text: str) -> str:
    import unicodedata

    from crawler.extraction.text import _INVISIBLE_OR_SURROGATE, _scrub

    return " ".join(_INVISIBLE_OR_SURROGATE.sub(_scrub, unicodedata.normalize("NFC", text)).split())


def test_normalize_answers_like_nfc_scrub_and_collapse_on_every_character() -> None:
    """normalize returns a printable, single-spaced NFC line as it is: every other character is caught (a space
    but U+0020, an invisible character, a lone surrogate, a decomposed letter), alone or inside a line."""
    import sys

    from crawler.extraction import text as text_module

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        for line in (char, f"a{char}b"):  # alone, and where a combining mark composes with the letter before
            text_module._NORMALISED.clear()
            assert normalize(line) == _normalize_the_long_way(line), hex(code)
    for line in ["Giá nhà tăng", "Gia\u0301 nha\u0300", " lề trái", "lề phải ", "hai  dấu cách", "tab\there"]:
        assert normalize(line) == _normalize_the_long_way(line), line


@pytest.mark.parametrize("html", [PAGE, *LONG_TEXTS, "<div>a<span>\u0301b</span>c<i>\u200b</i> <b>d</b></div>"])
def test_a_block_text_is_never_shorter_than_the_text_of_a_block_inside_it(html: str) -> None:
    """What the teaser rules stop on: a block too long to be a teaser item has only longer blocks around it
    (the words of an element are words of its parent's text, a combining mark glued at most to a letter)."""
    tree = parse(f"<html><body>{html}</body></html>")
    for element in tree.iter():
        for ancestor in element.iterancestors():
            assert len(uncached_text(ancestor)) >= len(uncached_text(element)), (ancestor.tag, element.tag)


HEAD_PAGE = """<html><head><title>Tiêu đề | Báo</title><base href="/goc/">
<link rel="alternate canonical" href="https://a.vn/1"><link rel="Canonical" href="https://a.vn/2">
<link rel="canonical"><link rel=" canonical\tx" href=" https://a.vn/3 "><link rel="noncanonical" href="/4">
<script type="application/LD+JSON">{"@type": "NewsArticle"}</script><script type="text/javascript">x</script>
<script type="application/ld+json; charset=utf-8">{}</script><meta property="og:title" content="Tựa">
</head><body><base href="/sau/"><title>Trong thân</title><svg><title>Hình</title></svg>
<script type="APPLICATION/LD+JSON">[]</script><meta name="author" content="An"><base></body></html>"""


def test_the_head_walk_finds_what_the_xpath_queries_found() -> None:
    from crawler.extraction.html import HeadElements

    tree = parse(HEAD_PAGE)
    head = HeadElements.of(tree)
    assert head.canonical_links == xpath(
        tree, '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")][@href]'
    )
    assert [link.get("href") for link in head.canonical_links] == xpath(
        tree, '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href'
    )
    assert head.json_ld_scripts == xpath(tree, '//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]')
    assert [base.get("href") for base in head.bases] == xpath(tree, "//base/@href")
    assert head.titles == xpath(tree, "//title")
    assert head.metas == xpath(tree, "//meta")
