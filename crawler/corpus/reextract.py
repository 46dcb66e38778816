"""``python -m crawler reextract``: rebuild articles from the raw page archive after an extractor change.

Every page in ``pages`` goes through the current :func:`crawler.extraction.extract` and the clean pipeline's
:func:`pipelines.clean.clean_article`, exactly as in a crawl, and is compared with its stored article (same
canonical URL):

* text changed (title, lead or body: another ``text_hash``): the row is updated through the store's own content
  update (:func:`crawler.storage._update_if_changed`: the previous text is kept in ``article_versions``);
  ``first_seen`` never changes, and ``last_crawled`` does not move (nothing was crawled);
* only metadata changed (author, published, category, tags, images, extraction path): those columns are updated;
* otherwise nothing is written. A page that is no longer an article by the new rules is counted, never deleted.

Near-duplicate signatures of changed texts are recomputed afterwards. ``--dry-run`` reports without writing.
Nothing is fetched.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict

import sqlite_utils

from crawler.corpus.pages import decompress_page

BATCH = 100
METADATA_COLUMNS = ("author", "published", "category", "tags", "images", "extraction")


def _outlets() -> dict:
    from crawler.extraction.registry import all_outlets

    return {outlet.name: outlet for outlet in all_outlets()}


def reextract(db: sqlite_utils.Database, outlets: list[str] | None = None, dry_run: bool = False) -> Counter:
    """Re-extract the archived pages (of ``outlets``, or all); return counts by outcome: ``text_updated``,
    ``metadata_updated``, ``unchanged``, ``not_article``, ``empty``, ``no_article_row``, ``text_duplicate``."""
    from crawler import storage
    from crawler.extraction import NotAnArticle, extract
    from pipelines.clean import clean_article, missing_text

    outlet_classes = _outlets()
    sql = "SELECT url FROM pages"
    params: list[str] = []
    if outlets:
        sql += f" WHERE outlet IN ({', '.join('?' for _ in outlets)})"
        params = list(outlets)
    urls = [row[0] for row in db.execute(sql + " ORDER BY url", params)]
    counts: Counter = Counter()
    for start in range(0, len(urls), BATCH):
        with storage.write_transaction(db):
            for url in urls[start:start + BATCH]:
                counts[_reextract_one(db, url, outlet_classes, extract, NotAnArticle, clean_article, missing_text,
                                      storage, dry_run)] += 1
    if not dry_run and counts["text_updated"]:
        from crawler.corpus.neardup import update_near_duplicates

        update_near_duplicates(db)
    return counts


def _reextract_one(db, url, outlet_classes, extract, NotAnArticle, clean_article, missing_text, storage, dry_run):
    outlet_name, fetched_url, fetched_at, compression, blob = db.execute(
        "SELECT outlet, fetched_url, fetched_at, compression, html FROM pages WHERE url = ?", [url]
    ).fetchone()
    try:
        article = extract(decompress_page(blob, compression), fetched_url or url, outlet_classes.get(outlet_name))
    except NotAnArticle:
        return "not_article"
    article = clean_article(article)
    if missing_text(article):
        return "empty"
    article.url, article.outlet, article.fetched_url, article.fetched_at = url, outlet_name, fetched_url, fetched_at
    stored = db.execute("SELECT * FROM articles WHERE url = ?", [url]).fetchone()
    if stored is None:
        return "no_article_row"
    stored = dict(zip([column[0] for column in db.execute("SELECT * FROM articles LIMIT 0").description], stored))
    new_hash = storage.article_text_hash(article)
    if new_hash != stored["text_hash"]:
        if dry_run:
            return "text_updated"
        if storage.known(db, outlet_name, text_hash=new_hash) is not None:
            return "text_duplicate"  # the new text is another stored article's: the exact-duplicate rule keeps one
        update = getattr(storage, "_update_if_changed", None)
        if update is not None:
            return "text_updated" if update(db, article, new_hash, fetched_at) else "unchanged"
        db["articles"].update(stored["id"], {"title": article.title, "lead": article.lead, "body": article.body,
                                             "text_hash": new_hash, **_metadata(article)})
        return "text_updated"
    metadata = _metadata(article)
    if any(stored.get(column) != value for column, value in metadata.items()):
        if not dry_run:
            db["articles"].update(stored["id"], metadata)
        return "metadata_updated"
    return "unchanged"


def _metadata(article) -> dict[str, object]:
    return {
        "author": article.author,
        "published": article.published,
        "category": article.category,
        "tags": json.dumps(article.tags, ensure_ascii=False),
        "images": json.dumps([asdict(image) for image in article.images], ensure_ascii=False),
        "extraction": article.extraction,
    }


# --- command ------------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from crawler.corpus.filters import OUTLETS

    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    parser.add_argument("--outlet", action="append", choices=OUTLETS, metavar="OUTLET",
                        help="only this outlet's pages; repeat for several")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")


def run(args: argparse.Namespace) -> int:
    from crawler.corpus.commands import open_existing

    with open_existing(args) as db:
        pages = db.execute("SELECT count(*) FROM pages").fetchone()[0]
        if pages == 0:
            print("reextract: no archived page (crawl with ARCHIVE_RAW_PAGES on first)", file=sys.stderr)
            return 1
        counts = reextract(db, args.outlet, dry_run=args.dry_run)
    prefix = "would be " if args.dry_run else ""
    print(f"re-extracted {sum(counts.values())} archived pages: " + ", ".join(
        f"{prefix if outcome.endswith('updated') else ''}{outcome} {n}" for outcome, n in sorted(counts.items())))
    return 0
