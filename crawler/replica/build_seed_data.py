"""Build ``data/seeds.json``: everything the replica needs from the five seed pages (``tests/data/seeds`` and
``tests/data/gold``), so the runtime, and an installed package, never reads the test data.

Run once from the repository root (``python -m crawler.replica.build_seed_data``). The article fields come from
the gold files verbatim; the noise blocks (the "Tin mới nhất" lists, related boxes, widgets ...) are parsed out of
the plain-text seed dumps, because the replica must show them exactly as the real pages did. Where a page's layout
is not visible in the dump (image position, URL, the date the article is listed under), the values are written
here by hand, next to the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
OUT = Path(__file__).resolve().parent / "data" / "seeds.json"

# Per seed: what the dump does not tell. ``url`` follows the outlet's URL patterns (ids plausible for the date);
# ``section`` is the listing the article is reachable from (the page itself may not show a category);
# ``listed_at`` orders the article in listings and feeds when the page shows no date (it is not published).
# Seed ids are even: the synthetic articles' numeric ids are odd, so the two never collide.
SEED_PLACEMENT: dict[str, dict[str, Any]] = {
    "000_ae658b0523e599f9": {
        "url": "https://antv.gov.vn/the-gioi-7/cac-ngoai-truong-nato-cam-ket-tang-cuong-ho-tro-ukraine-4C1D9E27B.html",
        "native_id": "4C1D9E27B",
        "section": "the-gioi-7",
        "listed_at": "2022-11-30T07:15:00+07:00",
        "image_after": [],
    },
    "001_13aaa890c4196832": {
        "url": "https://congluan.vn/nato-co-the-se-bo-qua-loi-keu-goi-xin-gia-nhap-khan-cap-cua-ukraine-post323588.html",
        "native_id": "post323588",
        "section": "the-gioi",
        "listed_at": None,  # the page states its date
        # The image sits after the first body paragraph (dump lines 7-11).
        "image_after": [1],
        "images": ["https://congluan-cdn.congluan.vn/files/content/2024/12/03/nato-ukraine-brussels-111905.jpg"],
        "image_alts": ["nato co the se bo qua loi keu goi xin gia nhap khan cap cua ukraine hinh 1"],
    },
    "002_3afeeef8cba475b0": {
        "url": "https://baoquocte.vn/ukraine-se-gia-nhap-mot-to-chuc-chung-voi-nato-nga-tuyen-bo-khong-the-chap-nhan-mot-viec-294472.html",
        "native_id": "294472",
        "section": "the-gioi",
        "listed_at": "2024-11-19T09:40:00+07:00",
        # MasterCMS image table right after the sapo, before the first paragraph; alt = title.
        "image_after": [0],
        "images": [
            "https://baoquocte.vn/stores/news_dataimages/2024/112024/19/09/jatec-ukraine-nato20241119093512.jpg?rt=20241119093514"
        ],
        "related_after": 1,
    },
    "003_585caaba9f2999fa": {
        "url": "https://baoquocte.vn/vien-tro-ukraine-nato-thua-nhan-bat-dong-gui-gam-hy-vong-vao-thang-7-duc-ra-loi-hua-nhu-dinh-dong-cot-274752.html",
        "native_id": "274752",
        "section": "the-gioi",
        "listed_at": "2024-06-12T06:55:00+07:00",
        "image_after": [0],
        "images": [
            "https://baoquocte.vn/stores/news_dataimages/2024/062024/12/06/zelensky-duc-huan-luyen20240612065004.jpg?rt=20240612065007"
        ],
        "related_after": 1,
    },
    "004_9130780adcf611a9": {
        # 2022-to-early-2025 URL era: slug only, no id.
        "url": "https://kinhtedothi.vn/no-luc-giam-cang-thang-nga-my-se-dam-phan-ve-van-de-ukraine.html",
        "native_id": None,
        "section": "quoc-te",
        "listed_at": "2021-12-28T08:54:00+07:00",
        # The figure sits after the second body paragraph (dump lines 8-11).
        "image_after": [2],
        "images": ["https://static.kinhtedothi.vn/w960/images/upload/2021/12/28/ryabkov.jpg"],
    },
}


def _lines(text: str) -> list[str]:
    """Non-empty lines, stripped (the dumps pad some lines with spaces and table pipes)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _after(lines: list[str], marker: str, start: int = 0) -> int:
    return lines.index(marker, start) + 1


def _doubled(line: str) -> str:
    """ "X X" (an image alt followed by the same link text on one line) -> "X"."""
    half = (len(line) - 1) // 2
    if line[:half] == line[half + 1 :] and line[half] == " ":
        return line[:half]
    raise ValueError(f"not a doubled line: {line!r}")


def _groups(lines: list[str], size: int) -> list[list[str]]:
    assert len(lines) % size == 0, (size, lines)
    return [lines[i : i + size] for i in range(0, len(lines), size)]


def noise_antv(lines: list[str]) -> dict:
    start = _after(lines, "Tin mới nhất")
    end = lines.index("Xem thêm")
    items = []
    for title, alt, meta, lead in _groups(lines[start:end], 4):
        assert title == alt
        category, date = meta.rsplit(" ", 1)
        items.append({"title": title, "category": category, "date": date, "lead": lead})
    return {"render_date": lines[0], "latest": items}


def noise_clo(lines: list[str]) -> dict:
    def items(chunk: list[str]) -> list[dict]:
        out = []
        for title, alt, lead, category in _groups(chunk, 4):
            assert title == alt
            out.append({"title": title, "lead": lead, "category": category})
        return out

    start = _after(lines, "Tin mới")
    comments = lines.index("Bình Luận")
    other = _after(lines, "Tin khác")
    return {"latest": items(lines[start:comments]), "other": items(lines[other:])}


def noise_tgvn(lines: list[str], raw: str) -> dict:
    if lines[0] == "Nhỏ Bình thường Lớn":
        # Layout with the font-size widget: related box "X X", then a headline list, then "Tin cũ hơn".
        related_at = _after(lines, "Tin liên quan")
        related = [_doubled(lines[related_at])]
        tail_start = related_at + 1
        # Skip the body paragraphs: the headline list starts at the first line that repeats on the next line.
        while lines[tail_start] != lines[tail_start + 1]:
            tail_start += 1
        older_at = lines.index("Tin cũ hơn")
        newer = [{"title": t, "desc": d} for t, alt, d in _groups(lines[tail_start:older_at], 3) if t == alt]
        older = [{"title": _doubled(line)} for line in lines[older_at + 1 :]]
        return {"font_widget": True, "related": related, "newer": newer, "older": older}
    # Layout without the widget: related box as a two-row table, then a list showing only the item descriptions.
    related_at = _after(lines, "| Tin liên quan |")
    related = [lines[related_at].rstrip(" |")]
    blank_split = raw.split("\n\n", 1)[1]  # the description list follows the first blank line
    descs = _lines(blank_split)
    return {"font_widget": False, "related": related, "newer": [{"title": None, "desc": d} for d in descs], "older": []}


def noise_kinhtedothi(lines: list[str]) -> dict:
    start = _after(lines, "Đừng bỏ lỡ")
    end = lines.index("Tin mới")
    dont_miss = []
    for title, alt, time, lead in _groups(lines[start:end], 4):
        assert title == alt
        dont_miss.append({"title": title, "time": time, "lead": lead})
    reactions_at = _after(lines, "CẢM NHẬN CỦA BẠN VỀ BÀI VIẾT NÀY")
    reactions = [line.lstrip("• ").strip() for line in lines[reactions_at : reactions_at + 4]]
    return {
        "top_banner": lines[0],
        "subscribe": lines[2],
        "reactions": reactions,
        "dont_miss": dont_miss,
    }


def build() -> list[dict]:
    seeds = []
    for gold_path in sorted((DATA / "gold").glob("0*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        stem = gold_path.stem
        raw = (DATA / "seeds" / gold["seed"]).read_text(encoding="utf-8")
        lines = _lines(raw)
        flat = " ".join(raw.split())
        # Sanity: every gold text is on the page (whitespace-normalised), so the dump and gold agree.
        for text in [gold["title"], gold["lead"], *gold["body"], *gold["captions"]]:
            assert " ".join(text.split()) in flat, (stem, text[:60])

        outlet = gold["outlet"]
        parsers: dict[str, Callable[[list[str]], dict]] = {
            "antv": noise_antv,
            "clo": noise_clo,
            "kinhtedothi": noise_kinhtedothi,
        }
        noise = noise_tgvn(lines, raw) if outlet == "tgvn" else parsers[outlet](lines)

        byline = None
        if outlet == "clo":
            byline = next(line for line in lines if line.startswith(gold["author"] or "\0"))
        place = SEED_PLACEMENT[stem]
        images = [
            {
                "url": url,
                "caption": caption,
                "alt": (place.get("image_alts") or [gold["title"]])[i],
                "after": place["image_after"][i],
            }
            for i, (url, caption) in enumerate(zip(place.get("images", []), gold["captions"]))
        ]
        seeds.append(
            {
                "seed": gold_path.name,
                "outlet": outlet,
                "url": place["url"],
                "native_id": place["native_id"],
                "section": place["section"],
                "listed_at": place["listed_at"] or gold["published"],
                "title": gold["title"],
                "lead": gold["lead"],
                "body": gold["body"],
                "captions": gold["captions"],
                "images": images,
                "related_after": place.get("related_after"),
                "author": gold["author"],
                "byline": byline,
                "published": gold["published"],
                "category": gold["category"],
                "noise": noise,
                "gold_noise": gold["noise"],
            }
        )
    return seeds


def main() -> None:
    seeds = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(seeds, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(seeds)} seeds to {OUT}")


if __name__ == "__main__":
    main()
