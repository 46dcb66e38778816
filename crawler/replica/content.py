"""The replica's content model: what every replica article says, i.e. the ground truth extraction is tested against.

``replica_articles(outlet, count)`` gives the outlet's seed articles (the real pages of ``shared/gold``, bundled
in ``data/seeds.json``) followed by synthetic ones. A synthetic article is a pure function of (outlet, index):
no global random state, O(1) per index, cached, so 10,000+ articles per outlet cost little and every run serves
the same site. Titles come from a bijection of the index onto the bank's slots, so they (and the URLs and texts
built from them) are unique by construction.

Outlet-specific choices (sections, URL forms, bylines, image hosts) come from the outlet's site module; this file
holds only what is common.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from crawler.replica import bank

VN = timezone(timedelta(hours=7))
NEWEST = datetime(2026, 11, 20, 17, 30, tzinfo=VN)
"""Publication time of synthetic article 0; the others go back in time from here."""
RENDER_TIME = datetime(2026, 11, 21, 7, 45, tzinfo=VN)
"""The replica's "now": what headers printing the render time show (never a publication date)."""

DATA = Path(__file__).resolve().parent / "data" / "seeds.json"

Block = tuple[str, object]
"""One body block in page order: ("p", text), ("h2", text), ("quote", text), ("img", image index), ("related", None)."""


@dataclass
class ReplicaArticle:
    outlet: str
    url: str
    """Canonical live URL: https, bare host, no query."""
    native_id: str | None
    title: str
    lead: str
    """As published, dateline prefix included."""
    body: list[str]
    """Paragraphs after the lead, in order (subheadings and quotations included; captions, bylines and related
    boxes not)."""
    captions: list[str]
    images: list[tuple[str, str | None]]
    author: str | None
    """The person's name only."""
    byline: str | None
    """The byline as printed ("Hồng Hạnh (theo Reuters, CNN)")."""
    published: str | None
    """ISO 8601 with +07:00, or None when the page shows no publication date."""
    category: str | None
    """The section name the page shows, or None when it shows none."""
    tags: list[str]
    is_seed: bool
    seed: str | None
    """Gold file name of a seed article."""
    # --- replica internals (not part of what a page states) ----------------------------------------------------
    index: int = 0
    """Position in ``replica_articles(outlet)``."""
    section: str = ""
    """Slug of the listing the article appears in (every article has one, even when the page shows none)."""
    listed_at: datetime = NEWEST
    """Orders listings, feeds and sitemaps; equals ``published`` when there is one."""
    kicker: str | None = None
    """Line printed above the title on some pages; not part of the title."""
    image_alts: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    noise: dict | None = None
    """The seed page's own noise blocks (None for synthetic pages, whose noise comes from other articles)."""
    gold_noise: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return "/" + self.url.split("/", 3)[3]

    @property
    def published_dt(self) -> datetime | None:
        return datetime.fromisoformat(self.published) if self.published else None


# --- text helpers -----------------------------------------------------------------------------------------------


def unaccent(text: str) -> str:
    """Vietnamese text without diacritics ("Đường phố" -> "Duong pho")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def slugify(text: str, keep_edges: bool = False) -> str:
    """URL slug of a title. ``keep_edges`` keeps a leading/trailing hyphen where the title starts or ends with
    punctuation, as ANTV's CMS does ("...đất nước--37CF38249.html")."""
    slug = re.sub(r"[^a-z0-9]+", "-", unaccent(text).lower())
    return slug if keep_edges else slug.strip("-")


def vn_number(value: int) -> str:
    """12345 -> "12.345" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


# --- seeds ------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _seed_records() -> tuple[dict, ...]:
    return tuple(json.loads(DATA.read_text(encoding="utf-8")))


def _seed_article(record: dict, index: int) -> ReplicaArticle:
    body = list(record["body"])
    images = record["images"]
    # Page order: images go after the given number of body paragraphs, the related box (TGVN) likewise.
    blocks: list[Block] = []
    for position in range(len(body) + 1):
        blocks += [("img", i) for i, image in enumerate(images) if image["after"] == position]
        if record.get("related_after") == position:
            blocks.append(("related", None))
        if position < len(body):
            blocks.append(("p", body[position]))
    return ReplicaArticle(
        outlet=record["outlet"],
        url=record["url"],
        native_id=record["native_id"],
        title=record["title"],
        lead=record["lead"],
        body=body,
        captions=list(record["captions"]),
        images=[(image["url"], image["caption"]) for image in images],
        author=record["author"],
        byline=record["byline"],
        published=record["published"],
        category=record["category"],
        tags=[],
        is_seed=True,
        seed=record["seed"].replace(".txt", ".json"),
        index=index,
        section=record["section"],
        listed_at=datetime.fromisoformat(record["listed_at"]),
        image_alts=[image["alt"] for image in images],
        blocks=blocks,
        noise=record["noise"],
        gold_noise=list(record["gold_noise"]),
    )


def seed_articles(outlet: str) -> list[ReplicaArticle]:
    records = [r for r in _seed_records() if r["outlet"] == outlet]
    return [_seed_article(record, i) for i, record in enumerate(records)]


# --- synthetic articles -----------------------------------------------------------------------------------------

_TEMPLATES, _PLACES, _SUBJECTS, _NUMBERS = 6, 24, 12, 50
_PER_SECTION = _TEMPLATES * _PLACES * _SUBJECTS * _NUMBERS
_STRIDE = 7919  # prime, coprime with every capacity below: k -> (k*STRIDE + salt) mod capacity is a bijection


def _slots(site: type, k: int) -> tuple[int, int, int, int, int]:
    """(section, template, place, subject, number) of synthetic article ``k``: a bijection of k < capacity."""
    sections = len(site.sections)
    capacity = sections * _PER_SECTION
    if k >= capacity:
        raise ValueError(f"{site.name}: at most {capacity} synthetic articles")
    p = (k * _STRIDE + site.salt) % capacity
    section, p = p % sections, p // sections
    template, p = p % _TEMPLATES, p // _TEMPLATES
    place, p = p % _PLACES, p // _PLACES
    subject, number = p % _SUBJECTS, p // _SUBJECTS
    return section, template, place, subject, number + 3


def _published(site: type, k: int, rng: random.Random) -> datetime:
    """Newest first: article k is ``k`` steps before NEWEST, minus a jitter smaller than a step (order kept)."""
    step = site.minutes_between
    jitter = rng.randrange(0, int(step * 0.8))
    return NEWEST - timedelta(minutes=k * step + jitter)


def _paragraphs(rng: random.Random, topic: dict, fill: dict, count: int) -> list[str]:
    pool = [s.format(**fill) for s in topic["sentences"]] + list(bank.GENERIC_SENTENCES)
    rng.shuffle(pool)
    paragraphs = []
    for _ in range(count):
        take = rng.randint(1, 3)
        if len(pool) < take:
            break
        paragraphs.append(" ".join(pool.pop() for _ in range(take)))
    return paragraphs


@lru_cache(maxsize=None)
def synthetic_article(outlet: str, k: int) -> ReplicaArticle:
    """Synthetic article ``k`` of ``outlet`` (0 = newest). Deterministic: seeded by outlet and index only."""
    from crawler.replica.sites import site_class

    site = site_class(outlet)
    rng = random.Random(f"{outlet}/{k}")
    s, t, pl, su, n = _slots(site, k)
    section = site.sections[s]
    topic = bank.TOPICS[section.topic]
    fill = {"place": topic["places"][pl], "subject": topic["subjects"][su], "n": n}
    published = _published(site, k, rng)
    fill["day"] = f"{published.day}/{published.month}"

    title = topic["titles"][t].format(**fill)
    title = title[0].upper() + title[1:]
    lead = site.dateline + rng.choice(bank.LEADS).format(**fill)

    # Body: a unique fact first (index-derived figure), then topic and generic prose.
    figure = vn_number(1_000 + 4 * k + site.salt % 4)
    fact = rng.choice(bank.FACT_SENTENCES).format(day=fill["day"], figure=figure)
    paragraphs = _paragraphs(rng, topic, fill, rng.randint(3, 12))
    paragraphs[0] = f"{fact} {paragraphs[0]}"
    blocks: list[Block] = [("p", text) for text in paragraphs]
    if len(paragraphs) >= 4 and rng.random() < 0.3:
        blocks.insert(rng.randint(2, len(blocks) - 1), ("quote", rng.choice(bank.QUOTES)))
    if len(paragraphs) >= 6 and rng.random() < 0.4:
        blocks.insert(len(blocks) // 2, ("h2", rng.choice(bank.SUBHEADINGS)))

    author = rng.choice(bank.AUTHORS) if rng.random() < 0.6 else None
    author, byline = site.byline(author, rng)

    images: list[tuple[str, str | None]] = []
    for i in range(rng.choices((0, 1, 2), weights=(4, 4, 2))[0]):
        caption = rng.choice(bank.CAPTIONS).format(**fill)
        caption = f"{caption[0].upper()}{caption[1:]} {site.caption_credit(rng, author)}"
        images.append((site.image_url(published, k, i), caption))
    # First image after the first paragraph (sometimes at the very top), a second one mid-body.
    if len(images) == 2:
        blocks.insert(1 + len(blocks) // 2, ("img", 1))
    if images:
        blocks.insert(1 if rng.random() < 0.7 else 0, ("img", 0))
    related = site.related_after(rng)
    if related is not None:
        paragraph_positions = [i for i, (kind, _) in enumerate(blocks) if kind == "p"]
        blocks.insert(paragraph_positions[min(related, len(paragraph_positions)) - 1] + 1, ("related", None))

    tags = [fill["subject"]] + rng.sample([x for x in topic["subjects"] if x != fill["subject"]], rng.randint(0, 3))
    path, native_id = site.article_path(section, title, k, published)
    return ReplicaArticle(
        outlet=outlet,
        url=site.home.rstrip("/") + path,
        native_id=native_id,
        title=title,
        lead=lead,
        body=[value for kind, value in blocks if kind in ("p", "h2", "quote")],
        captions=[caption for _, caption in images if caption],
        images=images,
        author=author,
        byline=byline,
        published=published.isoformat(),
        category=section.name,
        tags=tags,
        is_seed=False,
        seed=None,
        index=0,  # set by replica_articles (depends on the number of seeds)
        section=section.slug,
        listed_at=published,
        kicker=site.kicker(rng, fill),
        image_alts=[site.image_alt(title, i) for i in range(len(images))],
        blocks=blocks,
    )


@lru_cache(maxsize=64)
def _articles(outlet: str, count: int) -> tuple[ReplicaArticle, ...]:
    seeds = seed_articles(outlet)
    out = list(seeds)
    for k in range(max(count, len(seeds)) - len(seeds)):
        article = synthetic_article(outlet, k)
        if article.index != len(out):
            article.index = len(out)  # same for every count: seeds always come first
        out.append(article)
    return tuple(out)


def replica_articles(outlet: str, count: int = 50) -> list[ReplicaArticle]:
    """The outlet's replica articles: its seeds first, then synthetic ones, at least ``count`` in all. Exactly
    what the replica pages show, so it is the ground truth to compare extraction with."""
    return list(_articles(outlet, count))
