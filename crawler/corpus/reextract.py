"""``python -m crawler reextract``: rebuild articles from the raw page archive after an extractor change.

Every page in ``pages`` goes through the current :func:`crawler.extraction.extract` and the clean pipeline's
:func:`pipelines.clean.clean_article`, exactly as in a crawl, and is compared with its stored article (same
canonical URL):

* text changed (title, lead or body: another ``text_hash``): the row is updated through the store's own content
  update (:func:`crawler.storage.update_article_text`: the previous text is kept in ``article_versions``);
  ``first_seen`` never changes, and ``last_crawled`` does not move (nothing was crawled);
* only metadata changed (author, published, category, tags, images, extraction path): those columns are updated;
* otherwise nothing is written. A page that is no longer an article by the new rules is counted, never deleted.

The page of a failure the extractor judged (``not_article``, ``parse_error``; archived by the crawl) is judged
again: when it now reads as an article, the article is stored as a crawl would have stored it and the failure rows
are deleted (``recovered``); otherwise the failure keeps its reason and records the current ``EXTRACTOR_VERSION``,
so the next crawl does not request it again (``still_failed``).

Each batch of pages is read inside its write transaction: a crawl storing a newer page and text meanwhile is
either seen whole or waits, never reverted to the text of a page read before. A page older than its article's last
text change (crawled with the archive off) is not used (``stale_page``).

Near-duplicate signatures of changed texts are recomputed afterwards. ``--dry-run`` reports without writing.
Nothing is fetched.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import sqlite_utils

from crawler.corpus.pages import ArchivedPage, PageRow, compress_page, page_batch, write_pages
from crawler.items import Article, FailureReason
from crawler.schema import METADATA_COLUMNS

#: Pages re-extracted per write transaction.
BATCH = 100


def reextract(db: sqlite_utils.Database, outlets: list[str] | None = None, dry_run: bool = False) -> Counter:
    """Re-extract the archived pages (of ``outlets``, or all); return counts by outcome (see
    :func:`_reextract_page`)."""
    from crawler import storage

    counts: Counter = Counter()
    after = ""
    while True:
        with storage.write_transaction(db):
            pages = page_batch(db, outlets, after, BATCH)
            counts.update(_reextract_page(db, page, dry_run) for page in pages)
        if not pages:
            break
        after = pages[-1].url
    if not dry_run and (counts["text_updated"] or counts["recovered"]):
        from crawler.corpus.neardup import update_near_duplicates

        update_near_duplicates(db)  # changed texts are re-signed and may join (never leave) a cluster
    return counts


def _reextract_page(db: sqlite_utils.Database, page: ArchivedPage, dry_run: bool) -> str:
    """Extract ``page`` again and bring its stored article up to date; return the outcome: ``text_updated``,
    ``metadata_updated``, ``unchanged``, ``not_article``, ``parse_error`` (the extractor raised), ``empty`` (no
    title or no text by the clean rules), ``stale_page`` (the article's text is newer than the page),
    ``text_duplicate`` (the new text is another stored article's: the exact-duplicate rule keeps that one), for a
    failure's page ``recovered`` or ``still_failed``, and ``no_article_row`` (the page's URL has neither an article
    nor a failure the extractor judged, e.g. an exact duplicate of another URL)."""
    from crawler import storage

    stored = next(db.query("SELECT * FROM articles WHERE url = ?", [page.url]), None)
    if stored is None:
        return _reexamine_failure(db, page, dry_run)
    if stored["updated"] and page.fetched_at < stored["updated"]:
        return "stale_page"
    article = _read(page)
    if isinstance(article, str):
        return article
    # As the crawl stored it: under the canonical URL the page is archived by, at the time it was fetched.
    article.url, article.outlet, article.fetched_url = page.url, page.outlet, page.fetched_url
    article.fetched_at = page.fetched_at
    new_hash = storage.article_text_hash(article)
    if new_hash != stored["text_hash"]:
        if storage.known(db, page.outlet, text_hash=new_hash) is not None:
            return "text_duplicate"
        if not dry_run:
            storage.update_article_text(db, article, new_hash, page.fetched_at)
        return "text_updated"
    fresh = storage.article_row(article, new_hash, page.fetched_at)
    changes = {column: fresh[column] for column in METADATA_COLUMNS if fresh[column] != stored[column]}
    if not changes:
        return "unchanged"
    if not dry_run:
        db.table("articles").update(stored["id"], changes)
    return "metadata_updated"


def _read(page: ArchivedPage) -> Article | str:
    """The cleaned article on ``page`` by the current extractor, or the outcome that says why there is none."""
    # Looked up at each call (not imported at module level): a test may patch in another extractor.
    from crawler.extraction import NotAnArticle, extract
    from pipelines.clean import clean_article, missing_text

    try:
        # the outlet is the one owning the URL's host, as in the crawl (an outlet since removed: the generic path)
        article = extract(page.html, page.fetched_url or page.url)
    except NotAnArticle:
        return FailureReason.NOT_ARTICLE
    except Exception:  # an extractor bug: as in a crawl, recorded, and the other pages go on
        return FailureReason.PARSE_ERROR
    article = clean_article(article)
    return "empty" if missing_text(article) else article


def _reexamine_failure(db: sqlite_utils.Database, page: ArchivedPage, dry_run: bool) -> str:
    """Judge again the page of a failure the extractor judged: store the article it now reads as (and resolve
    the failure), or record that the current extractor judged it too."""
    from crawler import extraction, storage
    from crawler.items import EXTRACTOR_JUDGED

    judged = ", ".join("?" for _ in EXTRACTOR_JUDGED)
    failure_condition = f"outlet = ? AND url = ? AND reason IN ({judged})"
    failure_keys = [page.outlet, page.url, *EXTRACTOR_JUDGED]
    if db.execute(f"SELECT 1 FROM failures WHERE {failure_condition}", failure_keys).fetchone() is None:
        return "no_article_row"
    article = _read(page)
    if isinstance(article, str):
        if not dry_run:
            db.execute(
                f"UPDATE failures SET extractor_version = ? WHERE {failure_condition}",
                [extraction.EXTRACTOR_VERSION, *failure_keys],
            )
        return "still_failed"
    # As the crawl would have stored it: under its canonical URL, fetched from the failure's URL.
    article.outlet, article.fetched_at = page.outlet, page.fetched_at
    article.fetched_url = page.url if page.url != article.url else None
    if not dry_run:
        storage.write_articles(db, [article])  # resolves the failure rows too
        if article.fetched_url:  # the page moves to the article's URL: every article has its page
            write_pages(
                db,
                [
                    PageRow(
                        article.url,
                        page.outlet,
                        page.url,
                        page.fetched_at,
                        compress_page(page.html),
                        page.http_status,
                        page.http_headers,
                    )
                ],
            )
            db.execute("DELETE FROM pages WHERE url = ?", [page.url])
    return "recovered"


# --- command ------------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from crawler import outlets

    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    parser.add_argument(
        "--outlet",
        action="append",
        choices=outlets.names(),
        metavar="OUTLET",
        help="only this outlet's pages; repeat for several",
    )
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
    print(
        f"re-extracted {sum(counts.values())} archived pages: "
        + ", ".join(
            f"{prefix if outcome.endswith('updated') or outcome == 'recovered' else ''}{outcome} {n}"
            for outcome, n in sorted(counts.items())
        )
    )
    return 0
