"""The Datasette metadata of the corpus, ``crawler/datasette/metadata.json``, generated from code: the ``articles``
column notes come from the schema statement (:data:`crawler.schema.ARTICLE_COLUMNS`), so they cannot drift from the
table. The file is what a user passes to ``datasette --metadata``; regenerate it after changing this module or the
schema with ``python -m crawler.datasette.metadata`` (a test checks that the committed file is the generated one).
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path
from typing import Any

from crawler import outlets
from crawler.schema import ARTICLE_COLUMNS

PATH = Path(__file__).with_name("metadata.json")

_DESCRIPTION_HTML = (
    "<p>Articles of Vietnamese news outlets — {outlets} — crawled by "
    '<a href="https://github.com/vn-news-crawler/vn-news-crawler">'
    "vn-news-crawler</a>. Search ignores diacritics: <em>Ha Noi</em> finds <em>Hà Nội</em>, <em>Da Nang</em> finds "
    '<em>Đà Nẵng</em>. The table sorts its matches newest first; the canned query <a href="/articles/search">'
    "search</a> ranks them by relevance (the words as a phrase first). For an FTS5 expression add "
    "<code>&amp;_searchmode=raw</code> to a table URL and search, e.g., <code>(da OR đa) AND nang</code>.</p>"
)
"""The front page's text; ``{outlets}``: the registered outlets' display names."""


def metadata() -> dict[str, Any]:
    """The metadata, as Datasette reads it (the database is the one named ``articles``: the file ``articles.db``)."""
    return {
        "title": "Vietnamese news corpus",
        "description_html": _DESCRIPTION_HTML.format(
            outlets=", ".join(escape(outlet.display_name) for outlet in outlets.registry())
        ),
        "license": "Articles © their outlets; for research use",
        "source": "vn-news-crawler",
        "source_url": "https://github.com/vn-news-crawler/vn-news-crawler",
        "databases": {
            "articles": {
                "title": "Corpus",
                "description": "One row per article (articles), failed pages (failures), raw page archive (pages), "
                "crawl runs, versions, near-duplicate signatures. Columns are documented in the project README.",
                "tables": {
                    "articles": {
                        "title": "Articles",
                        "description": "One row per article. Search covers title, lead and body, diacritics "
                        "optional, newest first (the canned query search ranks by relevance); facets by outlet, "
                        "category and date (publication day in Vietnam time).",
                        "label_column": "title",
                        "fts_table": "articles_fts",
                        "fts_pk": "id",
                        "sort_desc": "published",
                        "facets": ["outlet", "category", "article_date"],
                        "columns": _article_column_notes(),
                    },
                    "failures": {
                        "title": "Failures",
                        "description": "Pages that did not become articles, one row per outlet, URL and reason.",
                        "facets": ["outlet", "reason"],
                        "sort_desc": "last_seen",
                    },
                    "pages": {
                        "title": "Raw page archive",
                        "description": "zlib-compressed HTML of each article page (for python -m crawler reextract).",
                        "hidden": False,
                    },
                    "articles_fts": {"hidden": True},
                    "neardup_signatures": {"hidden": True},
                    "neardup_bands": {"hidden": True},
                },
                "queries": {
                    "near_duplicates": {
                        "title": "Near-duplicate clusters (wire copy republished by several outlets)",
                        "sql": "select cluster_id, count(*) as articles, group_concat(distinct outlet) as outlets, "
                        "min(title) as title from articles where cluster_id is not null group by cluster_id "
                        "order by articles desc, cluster_id",
                    },
                    "articles_per_day": {
                        "title": "Articles per day and outlet",
                        "sql": "select article_date as day, outlet, count(*) as articles from articles "
                        "group by day, outlet order by day desc, outlet",
                    },
                },
            },
        },
    }


def _article_column_notes() -> dict[str, str]:
    notes = {column.name: column.description for column in ARTICLE_COLUMNS if column.name != "id"}
    notes["outlet"] += ": " + ", ".join(f"{outlet.name} ({outlet.display_name})" for outlet in outlets.registry())
    return notes


def metadata_json() -> str:
    """The text of ``metadata.json``."""
    return json.dumps(metadata(), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    PATH.write_text(metadata_json(), encoding="utf-8")
    print(f"wrote {PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
