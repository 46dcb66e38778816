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
import sys
from collections import Counter

import sqlite_utils

from crawler.corpus.pages import ArchivedPage, page_batches

#: Pages re-extracted per write transaction.
BATCH = 100
#: Columns a metadata-only change updates (the text columns change only through the store's content update).
METADATA_COLUMNS = ("author", "published", "category", "tags", "images", "extraction")


def reextract(db: sqlite_utils.Database, outlets: list[str] | None = None, dry_run: bool = False) -> Counter:
    """Re-extract the archived pages (of ``outlets``, or all); return counts by outcome (see
    :func:`_reextract_page`)."""
    from crawler.storage import write_transaction

    counts: Counter = Counter()
    for pages in page_batches(db, outlets, BATCH):
        with write_transaction(db):
            counts.update(_reextract_page(db, page, dry_run) for page in pages)
    if not dry_run and counts["text_updated"]:
        from crawler.corpus.neardup import update_near_duplicates

        update_near_duplicates(db)  # changed texts are re-signed and may join (never leave) a cluster
    return counts


def _reextract_page(db: sqlite_utils.Database, page: ArchivedPage, dry_run: bool) -> str:
    """Extract ``page`` again and bring its stored article up to date; return the outcome: ``text_updated``,
    ``metadata_updated``, ``unchanged``, ``not_article``, ``empty`` (no title or no text by the clean rules),
    ``no_article_row`` (the page's article was not stored, e.g. an exact duplicate of another URL) or
    ``text_duplicate`` (the new text is another stored article's: the exact-duplicate rule keeps that one)."""
    # Looked up at each call (not imported at module level): a test may patch in another extractor.
    from crawler import storage
    from crawler.extraction import NotAnArticle, extract, outlet_by_name
    from pipelines.clean import clean_article, missing_text

    try:
        article = extract(page.html, page.fetched_url or page.url, outlet_by_name(page.outlet))
    except NotAnArticle:
        return "not_article"
    article = clean_article(article)
    if missing_text(article):
        return "empty"
    # As the crawl stored it: under the canonical URL the page is archived by, at the time it was fetched.
    article.url, article.outlet, article.fetched_url = page.url, page.outlet, page.fetched_url
    article.fetched_at = page.fetched_at
    stored = next(db.query("SELECT * FROM articles WHERE url = ?", [page.url]), None)
    if stored is None:
        return "no_article_row"
    new_hash = storage.article_text_hash(article)
    if new_hash != stored["text_hash"]:
        if storage.known(db, page.outlet, text_hash=new_hash) is not None:
            return "text_duplicate"
        if not dry_run:
            storage._update_if_changed(db, article, new_hash, page.fetched_at)
        return "text_updated"
    fresh = storage._article_row(article, new_hash, page.fetched_at)
    changes = {column: fresh[column] for column in METADATA_COLUMNS if fresh[column] != stored[column]}
    if not changes:
        return "unchanged"
    if not dry_run:
        db["articles"].update(stored["id"], changes)
    return "metadata_updated"


# --- command ------------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from crawler.outlet import outlet_names

    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    parser.add_argument("--outlet", action="append", choices=outlet_names(), metavar="OUTLET",
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
