"""The news-page boilerplate vocabulary (Vietnamese first, and that of other languages' sites for the generic
path) and the tree operations that remove it.

Nothing here names one page or one outlet: the rules are the headings news sites put over their non-article blocks,
the widget lines they print around an article (follow-us, font size, comment counters, subscription pitches,
credit and contact lines), and link density. An outlet's own headings and widget lines live in its unit
(``Outlet.trailing_headings``, ``inline_headings``, ``noise_patterns``) and apply to its pages only: the functions
below take the outlet. They apply to the outlet's scoped container and, on the generic path, to the whole page. A
link or an emphasis inside a sentence is a piece of that sentence, never a line or a box of its own
(:func:`_in_sentence`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from lxml import etree

from crawler.extraction.html import class_and_id, css, inside, xpath
from crawler.extraction.text import (
    INVISIBLE,
    STRING_CACHE,
    WordGated,
    casefold,
    element_text,
    forget_texts_above,
    gate_key,
    letters,
    link_density,
    normalize,
    text_longer_than,
    text_starts_with,
)
from crawler.extraction.thresholds import THRESHOLDS
from crawler.outlet import Outlet

# Headings of blocks that follow the article: the block and everything after it in its container are cut.
TRAILING_HEADINGS = frozenset(
    casefold(h)
    for h in (
        "Tin mới",
        "Tin mới nhất",
        "Tin khác",
        "Tin cũ hơn",
        "Tin mới hơn",
        "Đọc nhiều",
        "Đọc nhiều nhất",
        "Tin đọc nhiều",
        "Đừng bỏ lỡ",
        "Tin cùng chuyên mục",
        "Cùng chuyên mục",
        "Tin nổi bật",
        "Xem nhiều",
        "Tin xem nhiều",
        "Xem nhiều nhất",
        "Video nổi bật",
        "Bình luận",
        "Ý kiến bạn đọc",
        "Gửi bình luận",
        "Tin Tài Trợ",
        "Tin tức khác",
        "Tin bài khác",
        "Các tin khác",
        "Bài khác",
        "Tin cùng sự kiện",
        "Tin liên quan khác",
        # magazine issues: the other articles of the same issue
        "Cùng số tạp chí",
        "Cùng số báo",
        "Bài cùng số",
        "Trong số này",
        # comment sections of other languages' sites: their prompt opens the thread that closes the article
        "Leave a comment",
        "Leave a reply",
        "Post a comment",
        "Add a comment",
        "Tell us what you think",
        "Join the conversation",
        "Comentários",
        "Deixe um comentário",
        "Deixe seu comentário",
        "Deixe uma resposta",
        "Comentarios",
        "Deja un comentario",
        "Commentaires",
        "Laisser un commentaire",
        "Kommentare",
    )
)
# Headings of boxes that may sit inside the body: only the box goes.
INLINE_HEADINGS = frozenset(
    casefold(h)
    for h in (
        "Tin liên quan",
        "Đọc thêm",
        "Xem thêm",
        "Bài viết liên quan",
        "Bài liên quan",
        "Có thể bạn quan tâm",
        "Có thể bạn chưa đọc",
        "Mời quý độc giả xem thêm",
        "Xem thêm video",
        "Tin bài liên quan",
        # labels that also appear over embedded media inside an article: the box goes, the text after it stays
        "VIDEO",
        "Tin ảnh",
        "Multimedia",
        "Podcast",
        "Chuyên đề",
        "Tiêu điểm",
        # the same boxes on other languages' sites
        "Related",
        "Related articles",
        "Related stories",
        "Related posts",
        "Related content",
        "Related coverage",
        "Related links",
        "Read more",
        "Read also",
        "Also read",
        "See also",
        "More stories",
        "Don't miss",
        "Don’t miss",
        "You may also like",
        "You might also like",
        "You may be interested in",
        "Recommended",
        "Recommended for you",
        "Explore further",
        "Most popular",
        "Most read",
        "Trending",
        "Trending now",
        "Você pode gostar",
        "Leia também",
        "Leia mais",
        "Veja também",
        "Notícias relacionadas",
        "Lea también",
        "Lee también",
        "Te puede interesar",
        "Noticias relacionadas",
        "À lire aussi",
        "Lire aussi",
        "Sur le même sujet",
        "Mehr zum Thema",
        "Das könnte Sie auch interessieren",
        "Weitere Artikel",
    )
)
#: The media labels among them: a label box is the label and at most a short media title, never a container
#: that merely starts with the label (an article opening with an embedded video starts with "VIDEO" too).
MEDIA_LABELS = frozenset(casefold(h) for h in ("VIDEO", "Tin ảnh", "Multimedia", "Podcast"))

#: The call of a sign-up box ("Đăng ký nhận bản tin", "Sign up for our newsletter"): the line and the small box
#: around it (its pitch: "Nhận tin tức mới nhất mỗi sáng qua email") go.
PROMOTION = re.compile(
    r"^(?:đăng ký nhận (?:bản tin|tin)|nhận bản tin|sign up (?:for|to)|subscribe to|"
    r"get (?:our|the) newsletter)\b",
    re.IGNORECASE,
)

#: What a video player shows around the video ("Đang phát", "Video tiếp theo sau 5 giây", "Next video in 5
#: seconds", "00:00 / 03:12"): never article text, never a caption.
PLAYER_LINE = re.compile(
    r"^(?:đang phát|now playing|up next|tự động phát|autoplay|video tiếp theo(?: sau \d+ giây)?|"
    r"next video(?: in \d+ seconds?)?|\d{1,2}:\d{2}(?::\d{2})?\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)$",
    re.IGNORECASE,
)

#: Month names (English, Portuguese, Spanish, French), for date lines.
MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|"
    r"outubro|novembro|dezembro|enero|febrero|marzo|mayo|junio|julio|septiembre|octubre|noviembre|diciembre|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)

#: Whole lines that are widgets, never article text: each pattern is anchored at the line's start (``^``), as
#: :data:`NOISE_LINE` matches them all. The few that scan the line for a word (``^.{0,300}\\bcontributed``) are gated
#: by it (:class:`~crawler.extraction.text.WordGated`): the regex engine tries them at every position up to their
#: bound, most of the cost of testing a long line.
NOISE_LINES: tuple[re.Pattern[str] | WordGated, ...] = (
    re.compile(r"^theo dõi .{1,40} trên(?: .{0,30})?$", re.IGNORECASE),  # follow-us: "Theo dõi TGVN trên"
    re.compile(
        r"^theo dõi .{1,40} trên (?:google news|facebook|zalo|youtube|tiktok|mạng xã hội)\b.{0,80}$", re.IGNORECASE
    ),
    re.compile(r"^(?:lượt xem|lượt đọc|số lượt xem|views?)\s*:?\s*[\d.,]+$|^cỡ chữ:?$", re.IGNORECASE),  # counters
    re.compile(r"^(?:cỡ chữ:?\s*)?nhỏ\s+(?:bình thường|vừa|trung bình)\s+lớn$", re.IGNORECASE),  # font size
    re.compile(r"^[-|–]?\s*\d+\s*(?:trả lời|bình luận|comments?|lượt xem)$", re.IGNORECASE),  # counters
    re.compile(
        r"^(?:xem thêm|tải thêm|xem tiếp|đọc tiếp|in bài(?: viết)?|gửi bài|chia sẻ|copy link|sao chép link"
        r"|lưu bài|quay lại|về trang chủ|trở về|đăng nhập|đăng ký|bình luận|gửi|hủy)\b.{0,20}$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:facebook|zalo|twitter|x|email|print|share|tweet|google news)(?:\s+\w+){0,2}$", re.IGNORECASE),
    # reading time, listening and font-size tools ("5 phút đọc", "12/03/2025 09:15 · 5 phút đọc", "Nghe bài viết",
    # "A- A A+")
    re.compile(r"^(?:[\d/:.,\s-]*[·|•-]\s*)?\d+\s*(?:phút đọc|min(?:ute)?s? read)$", re.IGNORECASE),
    re.compile(
        r"^(?:nghe bài(?: viết| báo)?|nghe đọc(?: bài)?|đọc bài|listen(?: to (?:this )?(?:article|story))?)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"^(?:reading time|read time|tempo de leitura|tiempo de lectura|temps de lecture|lesezeit|"
        r"thời gian đọc)\s*:?\s*\d+\s*\w*\.?$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:A[-+]?\s*){1,3}$"),
    re.compile(r"^(?:text|font) size$|^order reprints?$|^reprints?$", re.IGNORECASE),
    PLAYER_LINE,
    # follow-us and contact lines, copyright notices
    re.compile(r"^follow us\b.{0,80}$", re.IGNORECASE),
    re.compile(
        r"^follow\b.{0,100}\b(?:twitter|facebook|instagram|youtube|linkedin|tiktok)\b.{0,80}$|"
        r"^follow\b.{0,120}(?:https?://|www\.)\S+$",
        re.IGNORECASE,
    ),
    # a podcast's or an app's links ("Listen: https://...", "iTunes: https://...")
    re.compile(
        r"^(?:listen|download|itunes|apple podcasts|spotify|stitcher|rss)\s*:\s*(?:https?://|www\.)\S+$", re.IGNORECASE
    ),
    # what a send-to-a-friend form prints
    re.compile(
        r"^(?:an )?error (?:has )?occurred\b.{0,60}$|^this (?:article|story) has been sent to\b.{0,60}$", re.IGNORECASE
    ),
    re.compile(r"^like this (?:story|article|post)\?", re.IGNORECASE),
    # credits and contacts closing a story, not its text: "(Reporting by ...; Editing by ...)", "X contributed to
    # this report.", "Write to X at x@example.com", "SOURCE: News agencies"
    re.compile(
        r"^\(?(?:additional |with )?reporting by\b.{0,300}$|^\(?(?:editing|edited) by\b.{0,150}$|"
        r"^contributing\s*:.{0,150}$",
        re.IGNORECASE,
    ),
    WordGated(
        re.compile(r"^.{0,300}\bcontributed (?:reporting|to this (?:report|story|article))\b.{0,60}$", re.IGNORECASE),
        ("contributed ",),
    ),
    re.compile(r"^(?:write to|email|e-mail|reach|contact)\b.{0,160}(?:@|\btwitter\b)", re.IGNORECASE),
    WordGated(re.compile(r"^.{0,80}\bmay be reached at\b", re.IGNORECASE), ("may be reached at",)),
    re.compile(r"^source\s*:\s*\S.{0,60}$", re.IGNORECASE),
    re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$"),  # an e-mail address alone
    re.compile(r"^(?:AP|BC)-[A-Z]{2,}-{1,2}\S.{0,80}$"),  # news agency slugs
    re.compile(r"^related(?: \w+){0,2}\s*:", re.IGNORECASE),  # "Related post: <headline>"
    # affiliate disclosures
    re.compile(r"^(?:if|when) you (?:buy|purchase|click)\b.{0,100}\b(?:share|commission)\b.{0,80}$", re.IGNORECASE),
    re.compile(PROMOTION.pattern + r".{0,80}$", re.IGNORECASE),
    re.compile(r"^(?:copyright|\(c\))\s+(?:©\s*)?(?:[^\W\d][\w.&'-]*\s){0,4}\d{4}\b.{0,60}$", re.IGNORECASE),
    # a post's meta line ("- Posted by: Ann Lee - Category: News - Tags: ..."), a comment thread's policy, a
    # shortcode the site failed to render ("[button link=...]Send us your review[/button]")
    re.compile(
        r"^[-–|•\s]*(?:posted|published|publicado|publicada|publié|veröffentlicht) (?:by|por|par|von)\b"
        r".{0,120}\b(?:categor\w*|tags?|kategorie)\s*:",
        re.IGNORECASE,
    ),
    WordGated(
        re.compile(
            r"^.{0,40}\b(?:comments?|comentários|comentarios|commentaires|kommentare)\b.{0,160}"
            r"\b(?:moderator|moderated|moderador|moderada|modérés?|moderiert)\b.{0,60}$",
            re.IGNORECASE,
        ),
        ("moder", "modér"),
    ),
    re.compile(r"^\[(?P<shortcode>\w+)\b[^\]]*\].{0,200}\[/(?P=shortcode)\]$"),
    re.compile(r"^(?:hotline|email|e-mail)\s*:", re.IGNORECASE),
    re.compile(r"^(?:thứ\s+\w+|chủ nhật),\s*\d{1,2}/\d{1,2}/\d{4}.{0,30}$", re.IGNORECASE),  # date lines
    re.compile(r"^(?:ảnh|video|clip|photo|image|credit|photograph)s?\s*:\s*\S.{0,60}$", re.IGNORECASE),  # credits
    # photo galleries: counters and controls ("Image 1 of 8", "1 / 8", "Back to Gallery", "Hide Caption")
    re.compile(r"^(?:(?:image|photo|slide|ảnh)\s*)?\d+\s*(?:of|/|trên)\s*\d+$|^image \d+\s*of/?\s*\d+$", re.IGNORECASE),
    re.compile(
        r"^(?:caption|close|expand|hide caption|show caption|toggle caption|back to gallery|view gallery|"
        r"enlarge this image|view (?:all )?photos|xem ảnh|đóng)$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:Rất hay|Thích|Giải trí|Cần cải thiện|Chưa hay)$", re.IGNORECASE),  # reactions
    re.compile(r"^(?:quảng cáo|advertisement|advertising|sponsored|nội dung tài trợ)$", re.IGNORECASE),  # ad labels
    re.compile(r"^(?:tags?|từ khóa|chủ đề|keywords?)\s*:", re.IGNORECASE),  # tag lines
    # site footer: newsroom address, publisher, copyright
    re.compile(
        r"^(?:tòa soạn|tổng biên tập|địa chỉ|điện thoại|liên hệ quảng cáo)\s*:|^©|^báo [^.]{2,40} - cơ quan",
        re.IGNORECASE,
    ),
)

#: :data:`NOISE_LINES` but the gated ones as one pattern: one pass of the regex engine over a line, where the
#: patterns one by one cost forty (their flags kept, each in its group; the leading ``^`` lets the engine try the
#: line's start only).
NOISE_LINE = re.compile(
    "^(?:"
    + "|".join(
        f"(?{'i' if p.flags & re.IGNORECASE else ''}:{p.pattern})" for p in NOISE_LINES if isinstance(p, re.Pattern)
    )
    + ")"
)
_GATED_NOISE_LINES = tuple(p for p in NOISE_LINES if isinstance(p, WordGated))

#: Phrases that make a short line (``THRESHOLDS.widget_line`` characters at most) a widget line wherever they
#: stand in it: a site footer's licence and rights notices, a reader-contact box, a share button's call, a news
#: agency's slug. In a longer line they are words of the article ("...không phải xin giấy phép hoạt động điện
#: lực..."), and a search through a long paragraph is most of the cost of reading it as a line.
NOISE_PHRASES = WordGated(
    re.compile(
        r"giấy phép (?:số|hoạt động|xuất bản)|cơ quan chủ quản|chịu trách nhiệm (?:nội dung|xuất bản)|"
        r"bản quyền thuộc|thuộc bản quyền của|ghi rõ nguồn .{0,40} khi phát hành lại|"
        r"all rights reserved|mọi quyền được bảo lưu|"
        r"(?:phản ánh|liên hệ|gửi về|contact us)\b.{0,80}(?:email|e-mail|hotline|đường dây nóng)|"
        r"\bshare (?:it|this(?: story| article)?) with (?:a|your) friends?\b|"
        r"(?-i:\b\d+(?:st|nd|rd|th) Ld-Writethru$)",
        re.IGNORECASE,
    ),
    (
        "giấy phép",
        "cơ quan chủ quản",
        "chịu trách nhiệm",
        "bản quyền",
        "ghi rõ nguồn",
        "all rights reserved",
        "mọi quyền được bảo lưu",
        "mail",
        "hotline",
        "đường dây nóng",
        "share ",
        "ld-writethru",
    ),
)
_DATE_WORDS = re.compile(
    r"thứ|hai|ba|tư|năm|sáu|bảy|chủ|nhật|am|pm|sa|ch|gmt|utc|ngày|tháng|lúc|cập|nhật|đăng|"
    # other languages' date lines: "Published 18 November 2019", "sexta-feira, 22 de outubro
    # de 2010 às 20:13", "UPDATED: Tue., Nov. 19, 2019"
    r"published|updated|posted|first|last|modified|on|at|a|p|m|edt|est|cdt|cst|pdt|pst|bst|cet|"
    r"ist|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?|de|às|feira|segunda|terça|quarta|quinta|sexta|sábado|domingo|publicado|"
    r"atualizado|em|" + MONTHS,
    re.IGNORECASE,
)


_NUMERIC_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")
_DIGIT = re.compile(r"\d")
_LETTER_WORDS = re.compile(r"[^\W\d]+")
_MONTH = re.compile(rf"\b(?:{MONTHS})\b", re.IGNORECASE)
_YEAR_OR_TIME = re.compile(r"\d{4}|\d{1,2}:\d{2}")
_STAMP = re.compile(r"(?:published|updated|posted)\b", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}:\d{2}")


def is_date_line(text: str) -> bool:
    """A line that is only a date and time ("20/11/2026 15:14", "Thứ Hai, 08:54 27/12/2021 GMT+7", "Published
    18 November 2019", "Updated at 1:23 p.m.")."""
    text = normalize(text)
    if not text or len(text) > THRESHOLDS.date_line or _DIGIT.search(text) is None:
        return False  # every form below has a digit: a date's, a year's or a time's
    if _NUMERIC_DATE.search(text):
        return len(_other_words(text)) <= THRESHOLDS.date_line_words
    # a date written with words ("November 19, 2019"), with its year or time: nothing but date words ("June 9"
    # opening a line of a tour's dates is no date line)
    named = _MONTH.search(text) and _YEAR_OR_TIME.search(text)
    stamped = _STAMP.match(text) and _TIME.search(text)
    return bool(named or stamped) and not _other_words(text)


def _other_words(text: str) -> list[str]:
    """The words of ``text`` that are not words of a date."""
    return [w for w in _LETTER_WORDS.findall(text) if not _DATE_WORDS.fullmatch(w)]


#: Elements that never hold article text.
JUNK_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "svg",
    "canvas",
    "video",
    "audio",
    "nav",
    "aside",
    "footer",
    "link",
    "meta",
)

#: Class or id words of non-article boxes (matched as whole words/word parts of the attribute).
NOISE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:related|relate|share|sharing|social|comment|comments|banner|advert|ads|adv|quangcao|qc|"
    r"sidebar|breadcrumbs?|tags?|keyword|keywords|rating|reaction|reactions|vote|subscribe|newsletter|"
    r"follow|font-?size|fontsize|print-?tool|toolbar|tool-bar|hotline|footer|header|menu|navbar|navigation|popup|"
    r"modal|cookie|login|paging|pagination|most-?read|box-?news|list-?news|other-?news|readmore|read-?more|"
    r"sponsor|promo|author-?bio|author-?box|author-?info|author-?description|author-?profile|about-?(?:the-)?author|"
    r"bio|biography)(?:$|[\s_-])",
    re.IGNORECASE,
)


def section_label_classes(outlet: type[Outlet] | None) -> re.Pattern[str] | None:
    """A pattern finding the outlet's own breadcrumb class words (``Outlet.section_label_classes``) in a class or
    id attribute, as ``NOISE_CLASS`` finds its words; None without an outlet or words."""
    return _class_words(outlet.section_label_classes) if outlet is not None else None


@cache
def _class_words(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(map(re.escape, words)) + r")(?:$|[\s_-])", re.IGNORECASE)


def heading_kind(text: str, outlet: type[Outlet] | None = None) -> str | None:
    """``trailing`` or ``inline`` when ``text`` is a noise heading ("Tin mới", "BÌNH LUẬN (0)") of Vietnamese news
    sites or of ``outlet`` (``Outlet.trailing_headings``, ``inline_headings``), else None."""
    if outlet is None or not (outlet.trailing_headings or outlet.inline_headings):
        return _generic_heading_kind(text)
    return _heading_kind(text, outlet.trailing_headings, outlet.inline_headings)


@lru_cache(maxsize=STRING_CACHE)
def _heading_kind(text: str, trailing: tuple[str, ...], inline: tuple[str, ...]) -> str | None:
    """:func:`heading_kind` with an outlet's own headings (cached by the headings: a class is no cache key mypy
    accepts)."""
    kind = _generic_heading_kind(text)
    if kind is None and len(casefold(text)) <= THRESHOLDS.max_heading:
        key = _heading_key(text)
        kind = (
            "trailing" if key in _outlet_headings(trailing) else "inline" if key in _outlet_headings(inline) else None
        )
    return kind


@lru_cache(maxsize=STRING_CACHE)
def _generic_heading_kind(text: str) -> str | None:
    key = casefold(text)
    if not key or len(key) > THRESHOLDS.max_heading:
        return None
    key = _heading_key(text)
    if key in TRAILING_HEADINGS:
        return "trailing"
    if key in INLINE_HEADINGS:
        return "inline"
    return None


@cache
def _outlet_headings(headings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(map(_heading_key, headings))


#: The count a heading carries ("Bình luận (12)").
_COUNT_SUFFIX = re.compile(r"\s*\(\s*\d+\s*\)$")


def _heading_key(text: str) -> str:
    return _COUNT_SUFFIX.sub("", casefold(text)).rstrip(" :.»›>").strip()


#: A subscription pitch ("Sign up for our free daily newsletter", "The news that matters, delivered to your
#: inbox", "12 issues for £11.99"): a call to act on an offer of the site's own (its newsletter, its delivery),
#: or two such offers, in a line of at most ``pitch_text`` characters (:mod:`~crawler.extraction.thresholds`). A
#: call alone ("sign up for a free trial") is what an article about a service says too.
PITCH_CALL = re.compile(
    r"\bsign(?:ing)? up\b|\bsubscribe\b|\bclick here\b|\bđăng ký\b|\binscreva-se\b|\bassine\b|"
    r"\bsuscr[íi]bete\b|\babonnieren\b|\babonnez-vous\b",
    re.IGNORECASE,
)
PITCH_OFFER = WordGated(
    re.compile(
        r"\bnewsletters?\b|\binbox\b|\bdelivered (?:to|through|straight|every|each|daily|weekday)|"
        r"\bissues for [£$€]|\bbản tin\b|\bhộp thư\b",
        re.IGNORECASE,
    ),
    ("newsletter", "inbox", "delivered ", "issues for ", "bản tin", "hộp thư"),
)


def is_subscription_pitch(text: str, key: str | None) -> bool:
    """A promotion of the site's newsletter or subscription, in any of its wordings (``key``: the text's
    :func:`~crawler.extraction.text.gate_key`)."""
    if len(text) > THRESHOLDS.pitch_text or not PITCH_OFFER.admits(key):
        return False
    offers = {m.group(0).casefold() for m in PITCH_OFFER.pattern.finditer(text)}
    return len(offers) >= THRESHOLDS.pitch_offers or (bool(offers) and PITCH_CALL.search(text) is not None)


def is_noise_line(text: str, outlet: type[Outlet] | None = None) -> bool:
    """A widget line of news sites (``NOISE_LINES``), a bare date line, a subscription pitch, or one of
    ``outlet``'s ``noise_patterns``; never a noise heading (those take their block with them:
    :func:`remove_noise_blocks`)."""
    if outlet is None:
        return _noise_line(text, (), (), ())
    return _noise_line(text, outlet.noise_patterns, outlet.trailing_headings, outlet.inline_headings)


@lru_cache(maxsize=STRING_CACHE)
def _noise_line(
    text: str, patterns: tuple[re.Pattern[str], ...], trailing: tuple[str, ...], inline: tuple[str, ...]
) -> bool:
    """:func:`is_noise_line` by the outlet's cues (cached by them, like :func:`_heading_kind`)."""
    text = normalize(text)
    kind = _heading_kind(text, trailing, inline) if trailing or inline else _generic_heading_kind(text)
    if not text or kind is not None:
        return False
    return _is_widget_line(text) or any(p.search(text) for p in patterns)


@lru_cache(maxsize=STRING_CACHE)
def _is_widget_line(text: str) -> bool:
    key = gate_key(text)  # for the word gates
    return (
        NOISE_LINE.match(text) is not None
        or any(pattern.search(text, key) for pattern in _GATED_NOISE_LINES)
        or (len(text) <= THRESHOLDS.widget_line and NOISE_PHRASES.search(text, key) is not None)
        or is_date_line(text)
        or is_subscription_pitch(text, key)
    )


def drop(element: etree._Element) -> None:
    """Remove ``element`` from its tree, keeping its tail text (which belongs to the parent)."""
    parent = element.getparent()
    if parent is None:
        return
    forget_texts_above(element)
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def remove_junk(root: etree._Element) -> None:
    """Scripts, styles, forms, embeds, navigation, comments. A ``form`` holding prose stays: ASP.NET and some
    CMSs wrap the whole page, article included, in one form."""
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        drop(element)
    for media in list(root.iter("video", "iframe")):
        _stand_in_for_video(media)
    _remove_player_chrome(root)
    for figure in list(root.iter("figure")):
        # an embedded player with its caption (audio, an unknown embed): the caption describes the media, it is
        # not article text
        media = next(figure.iter("iframe", "video", "audio", "embed", "object"), None)
        if figure.find(".//img") is None and media is not None:
            drop(figure)
    for element in list(root.iter(*JUNK_TAGS)):
        if element is root or element.getparent() is None:
            continue
        if element.tag == "form" and _holds_prose(element):
            continue
        drop(element)


#: Embedded players of video hosts (an iframe's ``src``): a video figure of the article, not a widget.
VIDEO_EMBED = re.compile(
    r"youtube(?:-nocookie)?\.com/embed|player\.vimeo\.com|dailymotion\.com/embed|"
    r"facebook\.com/plugins/video|tiktok\.com/embed|/(?:video|player|embed)/",
    re.IGNORECASE,
)


def _stand_in_for_video(media: etree._Element) -> None:
    """Replace a ``<video>`` (or a video host's player ``<iframe>``) with an image standing for it (its poster,
    else its source), so that the figure's caption is found like an image's and reported as a caption, not
    lost with the player. The player's own text beside it ("Đang phát", "Video tiếp theo sau 5 giây") goes."""
    source = (
        media.get("poster")
        or media.get("src")
        or next((s.get("src") for s in media.iter("source") if s.get("src")), None)
    )
    if media.tag == "iframe" and not VIDEO_EMBED.search(source or ""):
        return
    if not source or media.getparent() is None:
        return
    for sibling in list(media.itersiblings()) + list(media.itersiblings(preceding=True)):
        if isinstance(sibling.tag, str) and _only_widget_lines(sibling):
            drop(sibling)
    stand_in = etree.Element("img", src=source)
    stand_in.set("data-media", "video")
    stand_in.tail = media.tail
    forget_texts_above(media)
    media.getparent().replace(media, stand_in)


def _remove_player_chrome(root: etree._Element) -> None:
    """Remove the controls a video player prints (its state, its clock, the next video), before the image
    blocks are read: in a player box they would pass for the video's caption."""
    if not any(_may_open_player_line(piece) and PLAYER_LINE.match(normalize(piece)) for piece in root.itertext()):
        return  # an element's lines are pieces of the page's: with no player line among them, none is chrome
    for element in list(root.iter("div", "span", "p", "button", "a", "li", "small")):
        if element.getparent() is None or len(element) > THRESHOLDS.player_children:
            continue
        # the lines first: they rule out almost every element at once, the image search reads the whole subtree
        if _only_player_lines(element) and element.find(".//img") is None:  # a box with its poster stays
            drop(element)


#: The characters a :data:`PLAYER_LINE` opens with, as its case-insensitive match takes them (and its digits).
_PLAYER_LINE_OPENINGS = frozenset("đĐnNuUtTaAvV")


def _may_open_player_line(piece: str) -> bool:
    """``normalize(piece)`` may be a :data:`PLAYER_LINE`: it opens with one of its first characters, a digit, or
    a character :func:`normalize` drops. Nearly every piece of an article opens otherwise, and is not normalised
    for this (a paragraph's text node costs more than the rest of the test)."""
    opening = piece.lstrip()[:1]
    return opening in _PLAYER_LINE_OPENINGS or opening.isdecimal() or (bool(opening) and opening in INVISIBLE)


def _only_player_lines(element: etree._Element) -> bool:
    """The text lines of ``element`` are a player's controls: some, at most ``player_chrome_text`` characters in
    all, each one a player line. Read lazily: almost every element fails on its first line, and this runs over
    every block of the page."""
    total = 0
    for piece in element.itertext():
        line = normalize(piece)
        if not line:
            continue
        total += len(line)
        if total > THRESHOLDS.player_chrome_text or not PLAYER_LINE.match(line):
            return False
    return total > 0


def _only_widget_lines(element: etree._Element) -> bool:
    lines = [normalize(t) for t in element.itertext() if normalize(t)]
    return bool(lines) and all(is_noise_line(line) for line in lines)


def remove_selectors(root: etree._Element, selectors: Iterable[str]) -> None:
    for selector in selectors:
        for element in css(root, selector):
            if element is not root:
                drop(element)


def blocks_holding(elements: Iterable[etree._Element | None]) -> set[etree._Element]:
    """The ``elements`` (None left out) and every block holding one of them. A walk up stops at a block gathered
    already: the blocks above it are gathered too.

    The rules gather the blocks holding their protected elements once (what they must not remove), where a walk up
    from every protected element for every candidate block cost a tenth of the generic path: they never remove
    these, so the blocks holding a protected element stay the same while they run."""
    blocks: set[etree._Element] = set()
    for element in elements:
        if element is None or element in blocks:
            continue
        blocks.add(element)
        for ancestor in element.iterancestors():
            if ancestor in blocks:
                break
            blocks.add(ancestor)
    return blocks


def _heading_elements(root: etree._Element, outlet: type[Outlet] | None) -> list[tuple[etree._Element, str]]:
    """The outermost elements whose whole text is a noise heading, in document order."""
    found: list[tuple[etree._Element, str]] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element is root:
            continue
        if text_longer_than(element, THRESHOLDS.max_heading):  # a container's text need not be built for this
            continue
        text = element_text(element)
        if not text:
            continue
        kind = heading_kind(text, outlet)
        if kind is None:
            continue
        if found and inside(element, found[-1][0]):
            continue  # inside a heading already found
        found.append((element, kind))
    return found


def remove_noise_blocks(
    root: etree._Element,
    protected: Iterable[etree._Element] = (),
    title_element: etree._Element | None = None,
    outlet: type[Outlet] | None = None,
) -> None:
    """Remove blocks headed by a noise heading.

    The block is the largest ancestor of the heading whose text still starts with the heading (the box the
    heading titles). A trailing heading (after the title) also cuts every following sibling of its block: after
    "Tin mới" nothing belongs to the article. A bare heading (its box is itself) over an inline box takes the
    link-dense siblings that follow it. Protected elements (title, lead, body container) are never removed."""
    holding = blocks_holding(protected)
    order = {id(e): i for i, e in enumerate(root.iter())}
    title_position = order.get(id(title_element), -1) if title_element is not None else -1
    for heading, kind in _heading_elements(root, outlet):
        if heading.getparent() is None or not inside(heading, root):
            continue
        heading_text = element_text(heading)
        media_label = _heading_key(heading_text) in MEDIA_LABELS
        block = heading
        while True:
            parent = block.getparent()
            if parent is None or parent is root or parent in holding:
                break
            if not text_starts_with(parent, heading_text):
                break
            if media_label and text_longer_than(parent, len(heading_text) + THRESHOLDS.media_box_text):
                break
            block = parent
        if block in holding:
            continue
        after_title = order.get(id(heading), 0) > title_position
        followers = list(block.itersiblings())
        if kind == "trailing" and after_title:
            cut: list[etree._Element] = []
            for sibling in followers:
                if sibling in holding:
                    cut = []  # the article goes on after this heading: only the block goes
                    break
                cut.append(sibling)
            for sibling in cut:
                drop(sibling)
        elif block is heading:
            for sibling in followers:
                if not isinstance(sibling.tag, str):
                    continue
                if sibling in holding or not element_text(sibling):
                    break
                if (
                    link_density(sibling) < THRESHOLDS.link_dense
                    and heading_kind(element_text(sibling), outlet) is None
                ):
                    break
                drop(sibling)
        drop(block)


def remove_link_dense(root: etree._Element, protected: Iterable[etree._Element] = ()) -> None:
    """Remove boxes and lines made mostly of links (related lists, tag clouds, menus, "Xem thêm" links)."""
    holding = blocks_holding(protected)
    for element in list(
        root.iter(
            "ul", "ol", "table", "div", "section", "p", "li", "h2", "h3", "h4", "h5", "h6", "span", "strong", "em", "b"
        )
    ):
        if element is root or element.getparent() is None or not inside(element, root):
            continue
        if element in holding:
            continue
        links = element.findall(".//a")
        if not links:
            continue
        text = element_text(element)
        if not text:
            continue
        density = link_density(element)
        if element.tag in ("p", "span", "strong", "em", "b", "h2", "h3", "h4", "h5", "h6", "li"):
            if density > THRESHOLDS.link_line and not _in_sentence(element):
                drop(element)
        elif density > THRESHOLDS.link_dense and (len(links) >= 2 or density > THRESHOLDS.link_line):
            drop(element)


def remove_noise_lines(
    root: etree._Element, protected: Iterable[etree._Element] = (), outlet: type[Outlet] | None = None
) -> None:
    """Remove the smallest elements whose whole text is a widget line (:func:`is_noise_line`)."""
    holding = blocks_holding(protected)
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element is root or element.getparent() is None:
            continue
        if element in holding or text_longer_than(element, THRESHOLDS.widget_line):
            continue  # protected, or holding what is: never removed
        text = element_text(element)
        if not text or _in_sentence(element):
            continue
        if is_noise_line(text, outlet):
            drop(_promotion_box(element, holding) if PROMOTION.search(text) else element)


#: Inline elements that may hold a piece of a sentence.
INLINE_PIECES = frozenset(("a", "span", "strong", "em", "b", "i"))


def _in_sentence(element: etree._Element) -> bool:
    """``element`` is an inline piece of a sentence (a linked ticker symbol, a tweet's date, an e-mail address
    after a name, "He <a>was arrested in April</a>"): its parent's own words come before it. A piece of that text,
    not a line or a box of its own. (A link opening its paragraph may be a teaser's headline over its sapo.)"""
    if element.tag not in INLINE_PIECES:
        return False
    parent = element.getparent()
    if parent is None:
        return False
    # the parent's own words before it: not the " | " between the items of a meta line, nor a sibling item
    before = [parent.text or "", *(sibling.tail or "" for sibling in element.itersiblings(preceding=True))]
    return bool(letters("".join(before)))


def _promotion_box(line: etree._Element, holding: set[etree._Element]) -> etree._Element:
    """The largest block around a sign-up call that is only the promotion: short, no article prose, nothing
    protected inside."""
    box = line
    for ancestor in line.iterancestors():
        if (
            ancestor.tag in ("body", "html", "article", "main")
            or len(element_text(ancestor)) > THRESHOLDS.promotion_box_text
            or _holds_prose(ancestor)
            or ancestor in holding
        ):
            break
        box = ancestor
    return box


def remove_noise_classes(
    root: etree._Element, protected: Iterable[etree._Element] = (), outlet: type[Outlet] | None = None
) -> None:
    """Remove elements whose class or id names a non-article box, or the outlet's breadcrumb (generic path)."""
    holding = blocks_holding(protected)
    outlet_words = outlet.section_label_classes if outlet is not None else ()
    # the elements with a class or an id, along the attribute axis: most elements of a page have neither
    for element in xpath(root, "descendant::*/@class/.. | descendant::*/@id/.."):
        if element.getparent() is None or element.tag in ("html", "body", "article", "main"):
            continue
        names = class_and_id(element)
        if _names_noise_box(names, outlet_words) and element not in holding:
            if inside(element, root) and not _holds_prose(element):
                drop(element)


@lru_cache(maxsize=STRING_CACHE)
def _names_noise_box(names: str, outlet_words: tuple[str, ...]) -> bool:
    """The class and id words ``names`` name a non-article box (``NOISE_CLASS``) or one of ``outlet_words`` (the
    outlet's breadcrumb classes). Cached: a site prints the same few class attributes on every page, and the
    pattern tries its seventy words at every position of them."""
    label_words = _class_words(outlet_words)
    return bool(names.strip()) and (
        NOISE_CLASS.search(names) is not None or (label_words is not None and label_words.search(names) is not None)
    )


def _holds_prose(element: etree._Element) -> bool:
    """Two or more real paragraphs: a container of article text whatever its class says ("entry-header ...")."""
    long_paragraphs = 0
    for paragraph in element.iter("p"):
        if (
            len(element_text(paragraph)) > THRESHOLDS.prose_paragraph
            and link_density(paragraph) < THRESHOLDS.link_dense
        ):
            long_paragraphs += 1
            if long_paragraphs >= THRESHOLDS.prose_paragraphs:
                return True
    return False


def _is_teaser(element: etree._Element) -> bool:
    """A teaser: an item holding a headline link (15+ characters) that is a good part of its text."""
    text = len(element_text(element))
    for link in element.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        if (
            len(element_text(link)) >= THRESHOLDS.teaser_box_link
            and len(element_text(link)) >= THRESHOLDS.teaser_box_link_share * text
        ):
            return True
        if link.find(".//img") is not None and text < THRESHOLDS.teaser_box_thumbnail_text:
            return True  # thumbnail link + short sapo
    return False


def remove_teaser_lists(root: etree._Element, protected: Iterable[etree._Element] = ()) -> None:
    """Remove unlabelled lists of other articles (headline link + sapo, repeated): "Tin mới", "Tin cũ hơn" boxes
    whose heading is missing or is an image."""
    holding = blocks_holding(protected)
    for element in list(root.iter("div", "ul", "ol", "section", "table", "tbody")):
        if element is root or element.getparent() is None or not inside(element, root):
            continue
        if element in holding:
            continue
        children = [c for c in element if isinstance(c.tag, str) and element_text(c)]
        if len(children) < 2:
            continue
        teasers = [c for c in children if _is_teaser(c)]
        if len(teasers) < THRESHOLDS.teaser_box_items or len(teasers) < THRESHOLDS.teaser_box_share * len(children):
            continue
        # the teasers are the box: text of the element's own (prose between links, <br>-separated paragraphs)
        # means the links are only mentions inside an article
        if sum(len(element_text(c)) for c in teasers) < THRESHOLDS.teaser_box_share * len(element_text(element)):
            continue
        drop(element)
