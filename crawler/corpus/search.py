"""``python -m crawler search``: full-text search of the corpus, ranked, with snippets.

The index is ``articles_fts`` (FTS5 over title, lead and body, migration ``full_text_search``), kept in sync with
``articles`` by triggers. Its tokenizer folds case and diacritics, so "Ha Noi" finds "Hà Nội". "đ" has no Unicode
decomposition and stays "đ" in the index; :func:`fts_query` therefore folds the query completely (đ -> d) and
expands every "d" of a term to "d" or "đ": "Da Nang" is searched as ``(da OR đa) AND nang`` and finds "Đà Nẵng".

Query syntax: words (all must appear, in any column), ``"quoted phrases"``, a trailing ``*`` for a prefix
(``thuong*``), and ``-word`` to exclude. ``--raw`` passes an FTS5 query through untouched. Ranking: articles
where the words stand together as a phrase first, then BM25 with the title weighted 10, the lead 5, the body 1.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys

import sqlite_utils

from crawler.cli import positive_int
from crawler.corpus.filters import (
    ALL_ARTICLES,
    ArticleFilter,
    add_filter_arguments,
    article_date_sql,
    article_filter,
    where,
)
from crawler.corpus.neardup import fold

#: A term whose folded form has more "d"s than this is searched with its first MAX_D_EXPANSIONS "d"s expanded.
MAX_D_EXPANSIONS = 4
#: Spellings of one phrase searched at most: the d/đ spellings of a phrase multiply word by word (16 per word with
#: four "d"s), so they are built lazily and only this many ever exist, whatever the number of words.
MAX_PHRASE_SPELLINGS = 64
_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+")


def _variants(word: str) -> list[str]:
    """Every spelling of a folded word with each of its (first few) "d" as "d" or "đ"."""
    positions = [i for i, char in enumerate(word) if char == "d"][:MAX_D_EXPANSIONS]
    variants = []
    for choice in itertools.product("dđ", repeat=len(positions)):
        chars = list(word)
        for position, char in zip(positions, choice):
            chars[position] = char
        variants.append("".join(chars))
    return variants


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _alternatives(words: list[str], prefix: bool = False) -> str:
    """FTS5 expression matching the phrase ``words`` with every d/đ spelling."""
    # product() holds each word's (at most 2**MAX_D_EXPANSIONS) variants and yields the combinations one by one:
    # islice stops it after MAX_PHRASE_SPELLINGS, so time and memory do not grow with the product.
    spellings = itertools.islice(itertools.product(*(_variants(word) for word in words)), MAX_PHRASE_SPELLINGS)
    star = "*" if prefix else ""
    alternatives = [_quote(" ".join(spelling)) + star for spelling in spellings]
    return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def phrase_query(query: str) -> str | None:
    """All the query's plain words as one phrase (d/đ expanded), when there are several: results where they stand
    together ("Da Nang" as the place, not "đà ... năng lượng") rank first."""
    if '"' in query or any(term.startswith("-") or term.endswith("*") for term in query.split()):
        return None
    words = _WORD.findall(fold(query))
    return _alternatives(words) if len(words) > 1 else None


def fts_query(query: str) -> str:
    """The FTS5 MATCH expression for a user query (see the module docstring); ValueError when it has no word."""
    positive: list[str] = []
    negative: list[str] = []
    for match in _TERM.finditer(query):
        negated = (match.group(1) or match.group(3)) == "-"
        text = match.group(2) if match.group(2) is not None else match.group(4)
        prefix = match.group(2) is None and text.endswith("*")
        words = _WORD.findall(fold(text))
        if not words:
            continue
        # "Hà-Nội", "covid-19": one token to the user, several to the index: searched as a phrase.
        expression = _alternatives(words, prefix)
        (negative if negated else positive).append(expression)
    if not positive:
        raise ValueError(f"nothing to search for in {query!r}")
    expression = " AND ".join(positive)
    for term in negative:
        expression = f"({expression}) NOT {term}"
    return expression


def ranked_search_sql(match: str, phrase: str, conditions: str = "1", *, highlight: tuple[str, str], limit: str) -> str:
    """The ranked search: ``match`` and ``phrase`` are SQL expressions for the MATCH expression and the phrase
    (NULL: no phrase ranking); bound parameters here, functions of the query in Datasette's canned query
    (crawler/datasette/plugin.py), so both rank alike."""
    phrase_rank = (
        f"CASE WHEN {phrase} IS NULL THEN 0 ELSE a.id IN "
        f"(SELECT rowid FROM articles_fts WHERE articles_fts MATCH {phrase}) END"
    )
    return f"""
        SELECT a.id, a.outlet, {article_date_sql("a")} AS date, a.title, a.url, a.cluster_id,
               snippet(articles_fts, -1, {highlight[0]}, {highlight[1]}, '…', 16) AS snippet,
               bm25(articles_fts, 10.0, 5.0, 1.0) AS rank, {phrase_rank} AS phrase
        FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
        WHERE articles_fts MATCH {match} AND {conditions}
        ORDER BY phrase DESC, rank LIMIT {limit}
    """


def search(
    db: sqlite_utils.Database,
    query: str,
    selected: ArticleFilter = ALL_ARTICLES,
    *,
    limit: int = 20,
    raw: bool = False,
    highlight: tuple[str, str] = ("[", "]"),
) -> list[dict]:
    """Articles matching ``query`` among those ``selected``, best first: id, outlet, date,
    title, url, cluster_id, snippet, rank (BM25: lower is better)."""
    match = query if raw else fts_query(query)
    phrase = None if raw else phrase_query(query)
    conditions, params = where(selected, "a")
    sql = ranked_search_sql(":match", ":phrase", conditions, highlight=(":open", ":close"), limit=":limit")
    bindings = {"match": match, "phrase": phrase, "open": highlight[0], "close": highlight[1], "limit": limit}
    results = list(db.query(sql, {**bindings, **params}))
    for result in results:
        result["phrase"] = bool(result["phrase"])
    return results


# --- command ------------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help='words (all must match), "a phrase", prefix*, -excluded; diacritics optional')
    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    add_filter_arguments(parser)
    parser.add_argument("--limit", type=positive_int, default=20, help="results to print (default: 20)")
    parser.add_argument("--raw", action="store_true", help="the query is an FTS5 expression, passed as is")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of text")


def run(args: argparse.Namespace) -> int:
    from crawler.corpus.commands import open_for_reading

    with open_for_reading(args) as db:
        try:
            results = search(
                db,
                args.query,
                article_filter(args),
                limit=args.limit,
                raw=args.raw,
                highlight=("", "") if args.json else ("[", "]"),
            )
        except ValueError as error:
            print(f"search: {error}", file=sys.stderr)
            return 2
        except sqlite_utils.utils.sqlite3.OperationalError as error:
            print(f"search: invalid query: {error}", file=sys.stderr)
            return 2
    if args.json:
        for result in results:
            print(json.dumps(result, ensure_ascii=False))
        return 0
    if not results:
        print("no match")
        return 0
    for number, result in enumerate(results, 1):
        cluster = f"  near-duplicates: cluster {result['cluster_id']}" if result["cluster_id"] else ""
        print(f"{number:>2}. [{result['outlet']} {result['date']}] {result['title']}  (score {-result['rank']:.3g})")
        print(f"    {result['url']}{cluster}")
        print(f"    {' '.join(result['snippet'].split())}")
    return 0
