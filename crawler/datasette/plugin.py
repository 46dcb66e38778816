"""Datasette plugin (entry point ``datasette`` in pyproject.toml, loaded by any ``datasette`` of this environment):
search the corpus as ``python -m crawler search`` does, with the same code (crawler/corpus/search.py).

- The table's search box folds the query like the command: "Da Nang" finds "Đà Nẵng" ("đ" stays "đ" in the
  index, so every "d" is searched as "d" or "đ"). Datasette quotes the box's text with its SQL function
  ``escape_fts``; on a database with the corpus' index that function is replaced by :func:`fts_query`.
- A canned query ``search`` ranks by relevance, phrase matches first then BM25, which the table view cannot do (it
  sorts by a column, newest first here).

Databases without ``articles_fts`` are left alone.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl
from datasette.utils import escape_fts

from crawler.corpus.search import fts_query, phrase_query, ranked_search_sql

#: Rows the canned ``search`` query returns (Datasette shows them on one page).
SEARCH_RESULTS = 50


def _has_corpus_index(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles_fts'").fetchone() is not None


def _folded_match(query: str | None) -> str | None:
    if query is None:
        return None
    try:
        return fts_query(query)
    except ValueError:  # no word in it (empty, punctuation only): Datasette's own quoting, which matches nothing;
        return escape_fts(query) or '""'  # '""' for the empty query (the canned query's form before a search)


def _phrase(query: str | None) -> str | None:
    return None if query is None else phrase_query(query)


# trylast: Datasette registers its own escape_fts in this hook; ours must come after it to replace it.
@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: object) -> None:
    if not _has_corpus_index(conn):
        return
    conn.create_function("escape_fts", 1, _folded_match, deterministic=True)
    conn.create_function("corpus_fts_query", 1, _folded_match, deterministic=True)
    conn.create_function("corpus_phrase_query", 1, _phrase, deterministic=True)


@hookimpl
def canned_queries(datasette, database: str, actor: object):
    async def queries() -> dict:
        if not await datasette.get_database(database).table_exists("articles_fts"):
            return {}
        sql = ranked_search_sql(
            "corpus_fts_query(:q)", "corpus_phrase_query(:q)", highlight=("'['", "']'"), limit=str(SEARCH_RESULTS)
        )
        return {
            "search": {
                "title": "Search, best matches first",
                "description": f'Words (all must match), "a phrase", prefix*, -excluded; diacritics optional '
                f"(Da Nang finds Đà Nẵng). The {SEARCH_RESULTS} best: the words as a phrase first, then "
                f"BM25 (title weighted 10, lead 5, body 1; lower rank is better). Matches in [brackets].",
                "sql": " ".join(sql.split()),
            }
        }

    return queries
