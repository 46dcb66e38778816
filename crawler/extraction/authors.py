"""Bylines: the person's name only.

"Hồng Hạnh (theo Reuters, CNN)" -> "Hồng Hạnh"; "Bài và ảnh: Minh Vương" -> "Minh Vương"; "PV" and "BT" are
valid (initials are how many Vietnamese outlets sign); sources alone ("Theo TTXVN") are not authors.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crawler.extraction.text import STRING_CACHE, letters, normalize
from crawler.extraction.thresholds import THRESHOLDS

_PREFIX = re.compile(
    r"^(?:bài(?: và ảnh)?|ảnh|tác giả|tin|nhóm phóng viên|phóng viên|pv|by|author|người viết|"
    r"thực hiện|nguồn|biên tập)\s*[:：]\s*",
    re.IGNORECASE,
)
_SOURCE_TAIL = re.compile(
    r"\s*(?:[(\[].*$|[-–|/,]\s*(?:theo|nguồn|tổng hợp|dịch|lược dịch|ảnh)\b.*$"
    r"|\s+theo\s+.*$|\s*/\s*[A-ZĐ][\w.]{1,12}$)",
    re.IGNORECASE,
)
_SOURCE_ONLY = re.compile(r"^(?:theo|nguồn|tổng hợp|dịch)\b", re.IGNORECASE)
#: "By Jane Doe", "Bởi Thu Hà", "Nhà báo Thu Hà": a byline word before the name, without a colon.
_BY = re.compile(r"^(?:by|bởi|nhà báo|phóng viên)\s+(?=[A-ZÀ-ỸĐ])", re.IGNORECASE)
#: A job title after the name ("Thu Hà - Phóng viên thường trú tại Đà Nẵng", "Jane Doe, Senior Reporter"): it and
#: everything after it go. Single initials ("PV", "CTV") are bylines of their own and stay.
_JOB_TITLE = re.compile(
    r"(?:\s*[-–|,]\s*|\s+)(?:(?:senior|chief|staff|special|foreign|political|business|deputy|managing)\s+)*"
    r"(?:reporter|correspondent|editor|writer|contributor|columnist|journalist|phóng viên|biên tập viên|"
    r"cộng tác viên|thường trú|trưởng ban|phó ban|tổng biên tập)\b.*$",
    re.IGNORECASE,
)
# A name: 1-6 capitalised words (Vietnamese capitals included), or initials such as "BT", "PV", "N.H", "H.A".
_NAME_WORD = r"(?:[A-ZÀ-ỸĐ][\wÀ-ỹđĐ'’.-]*)"
_NAME = re.compile(rf"^{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}$")
_INITIALS = re.compile(r"^[A-ZĐ](?:[A-ZĐ.]{0,5})$")
#: A news agency and its outlet, the credit line of wire copy: "TTXVN/Vietnam+", "TTXVN/VOV".
_AGENCY_SLASH = re.compile(r"^[A-ZĐ]{3,}/[\w+.]+$")
_DATE_LIKE = re.compile(r"\d{1,2}[/:]\d{1,2}")
#: Capitalised words that show up in byline positions and are not people: share buttons, services, labels.
NOT_NAMES = frozenset(
    w.casefold()
    for w in (
        "Facebook",
        "Zalo",
        "Twitter",
        "YouTube",
        "TikTok",
        "Google",
        "Google News",
        "Email",
        "Print",
        "Share",
        "Tweet",
        "RSS",
        "Messenger",
        "LinkedIn",
        "Instagram",
        "Telegram",
        "Video",
        "Podcast",
        "Infographic",
        "Emagazine",
        "Longform",
        "Photo",
        "Multimedia",
        "Trang Chủ",
        "Home",
        "Tags",
        "Tag",
        # the font-size widget ("Nhỏ Bình thường Lớn") sits where bylines do
        "Nhỏ",
        "Vừa",
        "Lớn",
        "Bình thường",
        "Trung bình",
        "Cỡ chữ",
        # byline words standing alone ("By" with the name in another element)
        "By",
        "Bởi",
        "Tác giả",
        "Author",
    )
)
#: News agencies and wire services: a credit, not a person ("TTXVN" in ``<meta name="author">``).
AGENCIES = frozenset(
    w.casefold()
    for w in (
        "TTXVN",
        "VNA",
        "Vietnam+",
        "VietnamPlus",
        "AFP",
        "AP",
        "Reuters",
        "Bloomberg",
        "Xinhua",
        "Tân Hoa Xã",
        "TASS",
        "Sputnik",
        "Kyodo",
        "Yonhap",
        "EFE",
        "ANSA",
        "DPA",
        "UPI",
        "PTI",
        "Bernama",
        "Antara",
    )
)


#: A newsroom's collective byline ("Nhóm phóng viên", "Nhóm PV Thời sự"): a signature, but no person's, so no
#: author (an author is a person or a list of persons).
_GROUP_BYLINE = re.compile(r"^(?:nhóm|ban) (?:phóng viên|pv|ctv)(?:\s+[A-ZÀ-ỸĐ][\wÀ-ỹđĐ]*){0,3}$", re.IGNORECASE)


@lru_cache(maxsize=STRING_CACHE)  # the lines around a headline are the site's own on every page: a byline test each
def clean_author(text: str | None) -> str | None:
    """The name in a byline, or None when the text is not one."""
    text = normalize(text)
    if not text:
        return None
    if _GROUP_BYLINE.match(text):
        return None
    text = _without_prefix(text)
    if _SOURCE_ONLY.match(text):
        return None
    text = _without_tail(text).strip(" -–|,;:.")
    # several authors: keep them, "A - B" and "A, B" are both common
    parts = [p.strip(" .") for p in re.split(r"\s*(?:,|;| - | – | và |&)\s*", text) if p.strip(" .")]
    if not parts or len(text) > THRESHOLDS.author_text or _DATE_LIKE.search(text):
        return None
    if not all(_NAME.match(p) or _INITIALS.match(p) for p in parts):
        return None
    # a name has two letters at least: "A", "A-" and "A+" are font-size buttons
    if any(len(letters(p)) < 2 or p.casefold() in NOT_NAMES or p.casefold() in AGENCIES for p in parts):
        return None
    return ", ".join(parts) if len(parts) > 1 else parts[0]


def _without_prefix(text: str) -> str:
    """The byline without its label ("Bài và ảnh:", "By", "Nhà báo")."""
    return _BY.sub("", _PREFIX.sub("", text))


def _without_tail(text: str) -> str:
    """The byline without the sources and the job title after the name."""
    return _JOB_TITLE.sub("", _SOURCE_TAIL.sub("", text))


#: A byline's second line: the author's job ("Phóng viên Ban Kinh tế", "Giảng viên Học viện Báo chí và Tuyên
#: truyền"), or the desk printed after the name ("Lê Minh - Ban Doanh nghiệp ·" leaves "- Ban Doanh nghiệp ·"); or
#: a desk signing alone ("Nhóm PV").
_JOB = re.compile(
    r"^(?:nguyên |phó |tổng )?(?:phóng viên|biên tập viên|cộng tác viên|giảng viên|nghiên cứu viên|"
    r"trưởng ban|phó ban|thư ký tòa soạn|reporter|correspondent|editor|staff writer)\b",
    re.IGNORECASE,
)
_DESK_AFTER_NAME = re.compile(r"^[-–|·]\s*ban\s", re.IGNORECASE)


def is_affiliation_line(text: str) -> bool:
    """A short line that is only the author's job or desk, or a desk's signature (never a sentence)."""
    line = normalize(text).rstrip(" -–|·•")
    if not 0 < len(line) <= THRESHOLDS.affiliation_text or line.endswith((".", "?", "!", ":", "”")):
        return False
    return bool(_JOB.match(line.lstrip(" -–|·•")) or _DESK_AFTER_NAME.match(line) or _GROUP_BYLINE.match(line))


def is_source_line(text: str) -> bool:
    """A line that only credits the sources of the story ("Theo TTXVN", "(Nguồn: Reuters, AFP)",
    "TTXVN/Vietnam+"): not article text, and no author either."""
    text = normalize(text).strip("()[] ")
    if _AGENCY_SLASH.match(text):
        return True
    if not _SOURCE_ONLY.match(text) or len(text) > THRESHOLDS.source_line_text:
        return False
    sources = re.sub(r"^(?:theo|nguồn|tổng hợp|dịch)\s*(?:từ\s*)?[:：]?\s*", "", text, flags=re.IGNORECASE).rstrip(" .")
    parts = [p.strip() for p in re.split(r"\s*(?:,|;|/| và |&)\s*", sources) if p.strip()]
    return bool(parts) and all(_NAME.match(p) or _INITIALS.match(p) for p in parts)


def looks_like_opening_byline(text: str) -> bool:
    """A byline that opens the body: initials ("BT", "PV") or a credited name ("Bài và ảnh: Minh Vương"). A bare
    capitalised line there is more often a subheading of a bulletin ("Châu Mỹ") than a name."""
    text = normalize(text)
    if not looks_like_byline(text):
        return False
    return bool(_PREFIX.match(text)) or all(_INITIALS.match(part) for part in (clean_author(text) or "").split(", "))


@lru_cache(maxsize=STRING_CACHE)
def looks_like_byline(text: str) -> bool:
    """A short line that is only a byline: a name, optionally followed by its sources in brackets or after
    "theo"/"-"; no sentence punctuation, at most about eight words."""
    text = normalize(text)
    if not text or len(text) > THRESHOLDS.byline_line_text or len(text.split()) > THRESHOLDS.byline_words:
        return False
    head = _without_tail(_without_prefix(text)).strip()
    if not head or (head.endswith((".", "?", "!", ":", "”", '"')) and not _INITIALS.match(head.rstrip("."))):
        return False
    if len(head.split()) > THRESHOLDS.byline_head_words:
        return False
    return clean_author(text) is not None
