"""Search cannot exhaust memory: the d/đ spellings of a long query are bounded while they are built, and a huge
``--limit`` is a clean error (issue 12, item 3)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.corpus.search import MAX_PHRASE_SPELLINGS, fts_query, phrase_query
from crawler.items import Article
from crawler.storage import open_database, save_articles

ROOT = Path(__file__).resolve().parent.parent
#: Each word has four "d"s: 16 spellings, so 50 of them have 16**50 phrase spellings.
D_WORD = "dddd"
#: The child measuring the queries may not use more address space than this: the unbounded expansion hits it
#: (MemoryError) within seconds instead of swapping the machine.
ADDRESS_SPACE_LIMIT = 1536 * 1024 * 1024

MEASURE = textwrap.dedent("""
    import json, resource, sys, time, tracemalloc
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from crawler.corpus.search import fts_query, phrase_query

    def measure(query):
        tracemalloc.start()
        started = time.perf_counter()
        expressions = (fts_query(query), phrase_query(query))
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return {{"seconds": seconds, "peak": peak, "chars": sum(len(e or "") for e in expressions)}}

    one, fifty = measure({one!r}), measure({fifty!r})
    print(json.dumps({{"one": one, "fifty": fifty}}))
""")


def test_fifty_words_full_of_d_cost_no_more_memory_than_one():
    script = MEASURE.format(limit=ADDRESS_SPACE_LIMIT, one=D_WORD, fifty=" ".join([D_WORD] * 50))
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    measured = json.loads(result.stdout)
    print(measured)  # the closing note's figures (pytest -s)
    assert measured["fifty"]["peak"] - measured["one"]["peak"] < 100 * 1024 * 1024
    # 50 words: 50 terms of 16 spellings each, plus the phrase's MAX_PHRASE_SPELLINGS spellings of 50 words.
    assert measured["fifty"]["chars"] < (50 * 16 + MAX_PHRASE_SPELLINGS * 50) * 16


def test_phrase_spellings_are_capped():
    phrase = phrase_query(" ".join([D_WORD] * 3))  # 16**3 spellings
    assert phrase.count(" OR ") + 1 == MAX_PHRASE_SPELLINGS
    assert fts_query("Da Nang") == '("da" OR "đa") AND "nang"'


def test_huge_limit_is_one_line_and_exit_2(tmp_path, capsys):
    database = tmp_path / "articles.db"
    with open_database(database) as db:
        save_articles(
            db,
            [
                Article(
                    outlet="clo",
                    url="https://congluan.vn/a-post1.html",
                    title="Đà Nẵng",
                    lead="(CLO) Mở đầu.",
                    body="Nội dung.",
                    fetched_at="2026-11-20T03:00:00+00:00",
                )
            ],
        )
    for limit in ("99999999999999999999", "0"):
        with pytest.raises(SystemExit) as exit_:  # argparse refuses it: a bad command line
            main(["search", "Da Nang", "--db", str(database), "--limit", limit])
        err = capsys.readouterr().err
        assert exit_.value.code == 2
        assert len(err.strip().splitlines()) == 1 and "--limit" in err
    assert main(["search", "Da Nang", "--db", str(database), "--limit", "5"]) == 0
