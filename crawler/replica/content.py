"""The replica's content model: what every replica article says, i.e. the ground truth extraction is tested against.

``replica_articles(outlet, count)`` gives the outlet's seed articles (the real pages of ``tests/data/gold``, bundled
in ``data/seeds.json``) followed by synthetic ones. A synthetic article is a pure function of (outlet, index):
no global random state, O(1) per index, cached, so 10,000+ articles per outlet cost little and every run serves
the same site. Titles come from a bijection of the index onto the bank's slots, so they (and the URLs and texts
built from them) are unique by construction.

At a few fixed indexes per outlet (``Site.hard_cases``) the synthetic article is a hard case instead of an ordinary
story: a short article, a photo or video page, or a bulletin of several stories (:class:`HardCase`), written from the
same slots and banks. ``replica_non_articles(outlet, count)`` lists the linked pages that are not articles.

Outlet-specific choices (sections, URL forms, bylines, image hosts, hard-case indexes) come from the outlet's site
module; this file holds only what is common.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.replica import bank
from crawler.vietnam_time import VN_TZ

if TYPE_CHECKING:
    from crawler.replica.site import Site

NEWEST = datetime(2026, 11, 20, 17, 30, tzinfo=VN_TZ)
"""Publication time of synthetic article 0; the others go back in time from here."""
RENDER_TIME = datetime(2026, 11, 21, 7, 45, tzinfo=VN_TZ)
"""The replica's "now": what headers printing the render time show (never a publication date)."""

DATA = Path(__file__).resolve().parent / "data" / "seeds.json"

Block = tuple[str, str | int | None]
"""One body block in page order: ("p", text), ("h2", text), ("bold", text) (a bulletin's story headline, printed
as a bold paragraph), ("quote", text), ("img", image index), ("video", None) (the player placeholder),
("related", None) (the inline related box)."""


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
    """Paragraphs after the lead, in order (subheadings, bold story headlines and quotations included; captions,
    bylines, players and related boxes not)."""
    captions: list[str]
    images: list[tuple[str, str | None]]
    author: str | None
    """The person's name only; several people are joined by ", " ("Minh An - Thu Hà" gives "Minh An, Thu Hà")."""
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
    hard_case: str | None = None
    """Kind of hard case ("short", "photo", "video", "bulletin"; see :class:`HardCase`), None for an ordinary
    story."""
    video: str | None = None
    """Source of the video a ``("video", None)`` block shows."""

    @property
    def path(self) -> str:
        return "/" + self.url.split("/", 3)[3]

    @property
    def published_dt(self) -> datetime | None:
        return datetime.fromisoformat(self.published) if self.published else None


@dataclass(frozen=True)
class HardCase:
    """A page shape that trips extractors, placed at a fixed synthetic index of an outlet (the outlet's
    ``Site.hard_cases``). Its ground truth is as exact as that of any other replica article."""

    kind: str
    """"short": one or two paragraphs amid the page's usual noise; "photo": several captioned images around one
    or two sentences, captions credited "Ảnh: ..." and "(Nguồn: ...)"; "video": a player placeholder and a short
    text; "bulletin": several short stories, each under a bold headline (all of it is body)."""
    paragraphs: int = 1
    """Paragraphs of a "short" article."""
    dateline: str | None = None
    """The outlet's other dateline prefix ("(NB&CL) ", "KTĐT - "), instead of ``Site.dateline``."""
    byline: tuple[str, str] | None = None
    """(author, byline as printed), instead of the outlet's usual byline."""


@dataclass(frozen=True)
class NonArticle:
    """A page the crawler meets through links that must never be stored as an article."""

    outlet: str
    url: str
    kind: str
    """"soft_404" (a deleted article: article URL, status 200, "not found" text in full chrome), "tag",
    "radio", "event", "live_tv", "static"."""
    title: str
    """The link text the outlet's pages use for it."""


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


@cache
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


def _slots(site: type[Site], k: int) -> tuple[int, int, int, int, int]:
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


def _published(site: type[Site], k: int, rng: random.Random) -> datetime:
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


@dataclass
class _Story:
    """What a synthetic page says, before the outlet gives it a URL."""

    title: str
    lead: str
    blocks: list[Block]
    images: list[tuple[str, str | None]]
    author: str | None
    byline: str | None
    tags: list[str]
    kicker: str | None = None
    video: str | None = None
    hard_case: str | None = None


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _fact(rng: random.Random, site: type[Site], k: int, fill: dict) -> str:
    """A sentence no other article has (index-derived figure), so text-hash deduplication never merges two."""
    figure = vn_number(1_000 + 4 * k + site.salt % 4)
    return rng.choice(bank.FACT_SENTENCES).format(day=fill["day"], figure=figure)


def _tags(rng: random.Random, topic: dict, fill: dict) -> list[str]:
    others = [x for x in topic["subjects"] if x != fill["subject"]]
    return [fill["subject"], *rng.sample(others, rng.randint(0, 3))]


def _insert_related(site: type[Site], rng: random.Random, blocks: list[Block]) -> None:
    """Put the outlet's inline related box after the number of paragraphs it chooses (if it has one)."""
    related = site.related_after(rng)
    if related is not None:
        paragraph_positions = [i for i, (kind, _) in enumerate(blocks) if kind == "p"]
        blocks.insert(paragraph_positions[min(related, len(paragraph_positions)) - 1] + 1, ("related", None))


def _news_story(
    site: type[Site], rng: random.Random, k: int, topic: dict, fill: dict, title: str, published: datetime
) -> _Story:
    """An ordinary news story: lead, 3-12 paragraphs, sometimes a quotation, a subheading and images."""
    lead = site.dateline + rng.choice(bank.LEADS).format(**fill)
    # Body: a unique fact first, then topic and generic prose.
    fact = _fact(rng, site, k, fill)
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
        caption = _capitalised(rng.choice(bank.CAPTIONS).format(**fill))
        images.append((site.image_url(published, k, i), f"{caption} {site.caption_credit(rng, author)}"))
    # First image after the first paragraph (sometimes at the very top), a second one mid-body.
    if len(images) == 2:
        blocks.insert(1 + len(blocks) // 2, ("img", 1))
    if images:
        blocks.insert(1 if rng.random() < 0.7 else 0, ("img", 0))
    _insert_related(site, rng, blocks)
    tags = _tags(rng, topic, fill)
    return _Story(title, lead, blocks, images, author, byline, tags, kicker=site.kicker(rng, fill))


def _hard_case_story(
    case: HardCase,
    site: type[Site],
    rng: random.Random,
    k: int,
    topic: dict,
    fill: dict,
    title: str,
    published: datetime,
) -> _Story:
    """The page shape ``case`` asks for, written from the same slots and banks as an ordinary story."""
    dateline = case.dateline or site.dateline
    author: str | None
    byline: str | None
    if case.byline is not None:
        author, byline = case.byline
    else:
        author, byline = site.byline(rng.choice(bank.AUTHORS), rng)
    fact = _fact(rng, site, k, fill)
    images: list[tuple[str, str | None]] = []
    video = None

    if case.kind == "short":
        lead = dateline + rng.choice(bank.LEADS).format(**fill)
        paragraphs = _paragraphs(rng, topic, fill, case.paragraphs)
        paragraphs[0] = f"{fact} {paragraphs[0]}"
        blocks: list[Block] = [("p", text) for text in paragraphs]
    elif case.kind == "photo":
        title = bank.PHOTO_TITLE_PREFIX + title
        lead = dateline + rng.choice(bank.PHOTO_LEADS).format(**fill)
        # Captions alternate the two credit forms the outlets print: a photographer, an agency as the source.
        for i, template in enumerate(rng.sample(bank.CAPTIONS, 4)):
            caption = _capitalised(template.format(**fill))
            credit = (
                f"Ảnh: {rng.choice(bank.PHOTOGRAPHERS)}" if i % 2 == 0 else f"(Nguồn: {rng.choice(bank.PHOTO_SOURCES)})"
            )
            images.append((site.image_url(published, k, i), f"{caption} {credit}"))
        blocks = [
            ("img", 0),
            ("p", f"{fact} {rng.choice(topic['sentences']).format(**fill)}"),
            ("img", 1),
            ("img", 2),
            ("img", 3),
        ]
    elif case.kind == "video":
        title = bank.VIDEO_TITLE_PREFIX + title
        lead = dateline + rng.choice(bank.VIDEO_LEADS).format(**fill)
        video = site.video_url(published, k)
        blocks = [("video", None), ("p", f"{fact} {rng.choice(topic['sentences']).format(**fill)}")]
    elif case.kind == "bulletin":
        # Each story is another title of the topic (other slots), a bold headline over one short paragraph.
        count = rng.randint(3, 4)
        blocks = []
        headlines = []
        for i in range(count):
            story_fill = {
                **fill,
                "place": topic["places"][(topic["places"].index(fill["place"]) + 5 * i + 3) % 24],
                "subject": topic["subjects"][(topic["subjects"].index(fill["subject"]) + 7 * i + 1) % 12],
                "n": fill["n"] + i + 1,
            }
            headline = _capitalised(topic["titles"][(i + k) % len(topic["titles"])].format(**story_fill))
            [paragraph] = _paragraphs(rng, topic, story_fill, 1)
            headlines.append(headline)
            blocks += [("bold", headline), ("p", f"{fact} {paragraph}" if i == 0 else paragraph)]
        title = rng.choice(bank.BULLETIN_TITLES).format(day=fill["day"], headline=headlines[0])
        lead = dateline + rng.choice(bank.BULLETIN_LEADS).format(day=fill["day"], count=count, headline=headlines[0])
    else:
        raise ValueError(f"unknown hard case kind {case.kind!r}")
    _insert_related(site, rng, blocks)
    return _Story(
        title, lead, blocks, images, author, byline, _tags(rng, topic, fill), video=video, hard_case=case.kind
    )


@cache
def synthetic_article(outlet: str, k: int) -> ReplicaArticle:
    """Synthetic article ``k`` of ``outlet`` (0 = newest). Deterministic: seeded by outlet and index only. At the
    outlet's hard-case indexes (``Site.hard_cases``) the page has the hard case's shape instead of a story's."""
    from crawler.replica.sites import site_class

    site = site_class(outlet)
    rng = random.Random(f"{outlet}/{k}")
    s, t, pl, su, n = _slots(site, k)
    section = site.sections[s]
    topic = bank.TOPICS[section.topic]
    fill = {"place": topic["places"][pl], "subject": topic["subjects"][su], "n": n}
    published = _published(site, k, rng)
    fill["day"] = f"{published.day}/{published.month}"
    title = _capitalised(topic["titles"][t].format(**fill))

    case = site.hard_cases.get(k)
    if case is None:
        story = _news_story(site, rng, k, topic, fill, title, published)
    else:
        story = _hard_case_story(case, site, rng, k, topic, fill, title, published)

    path, native_id = site.article_path(section, story.title, k, published)
    return ReplicaArticle(
        outlet=outlet,
        url=site.home.rstrip("/") + path,
        native_id=native_id,
        title=story.title,
        lead=story.lead,
        body=[str(value) for kind, value in story.blocks if kind in ("p", "h2", "bold", "quote")],
        captions=[caption for _, caption in story.images if caption],
        images=story.images,
        author=story.author,
        byline=story.byline,
        published=published.isoformat(),
        category=section.name,
        tags=story.tags,
        is_seed=False,
        seed=None,
        index=0,  # set by replica_articles (depends on the number of seeds)
        section=section.slug,
        listed_at=published,
        kicker=story.kicker,
        image_alts=[site.image_alt(story.title, i) for i in range(len(story.images))],
        blocks=story.blocks,
        hard_case=story.hard_case,
        video=story.video,
    )


@lru_cache(maxsize=64)
def _articles(outlet: str, count: int) -> tuple[ReplicaArticle, ...]:
    seeds = seed_articles(outlet)
    out = list(seeds)
    for k in range(max(count, len(seeds)) - len(seeds)):
        from crawler.replica.wire import republish  # a few synthetic articles are wire copy (crawler/replica/wire.py)

        article = republish(outlet, k, synthetic_article(outlet, k))
        if article.index != len(out):
            article.index = len(out)  # same for every count: seeds always come first
        out.append(article)
    return tuple(out)


def replica_articles(outlet: str, count: int = 50) -> list[ReplicaArticle]:
    """The outlet's replica articles: its seeds first, then synthetic ones, at least ``count`` in all. Exactly
    what the replica pages show, so it is the ground truth to compare extraction with."""
    return list(_articles(outlet, count))


def replica_non_articles(outlet: str, count: int = 50) -> list[NonArticle]:
    """The pages of the outlet's replica (``articles_per_outlet=count``) that are linked like articles and must
    never be stored as one: soft 404s on article URLs, tag pages, radio, event, live-TV and static pages."""
    from crawler.replica.sites import site_class

    return site_class(outlet).non_articles(replica_articles(outlet, count))
