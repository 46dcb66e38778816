"""Search as a person means it, in Datasette itself (its Python API) and in `search --raw`: the documented FTS5
expressions are valid, the table's search box folds "Da Nang" like the `search` command, and the canned query
`search` ranks by relevance (crawler/datasette/plugin.py, loaded through the package's entry point)."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.corpus.neardup import fold
from crawler.items import Article
from crawler.storage import open_database, save_articles

ROOT = Path(__file__).resolve().parent.parent
METADATA = json.loads((ROOT / "crawler" / "datasette" / "metadata.json").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")

PLACE = "Đà Nẵng đón khách quốc tế"  # the place in the title
PLACE_IN_BODY = "Thời tiết miền Trung"  # the place in the body only
DISTRACTORS = ["Kinh tế tạo đà phát triển", "Đà tăng của năng lượng sạch"]  # "đà" and "năng" apart


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "articles.db"  # the metadata describes the database named "articles"
    database = open_database(path)
    articles = [(PLACE, "Du lịch phục hồi."), (PLACE_IN_BODY, "Mưa lớn ở Huế và Đà Nẵng.")] + [
        (title, "Đà tăng trưởng giữ vững, năng lượng tái tạo mở rộng.") for title in DISTRACTORS
    ]
    save_articles(
        database,
        [
            # The distractors are the newest, so a date order would put them first.
            Article(
                outlet="clo",
                url=f"https://congluan.vn/a-post{n}.html",
                title=title,
                lead=f"(CLO) Mở đầu {n}.",
                body=body,
                published=f"2026-11-{10 + n:02d}T08:00:00+07:00",
                fetched_at="2026-11-30T03:00:00+00:00",
            )
            for n, (title, body) in enumerate(articles)
        ],
    )
    database.close()
    return path


def get_json(path: Path, url: str) -> tuple[int, dict]:
    from datasette.app import Datasette

    async def fetch():
        response = await Datasette([str(path)], metadata=METADATA).client.get(url)
        return response.status_code, response.json()

    return asyncio.run(fetch())


def documented_raw_queries() -> list[str]:
    """Every FTS5 expression the README and the Datasette metadata tell a user to type."""
    queries = re.findall(r"search --raw '([^']+)'", README)
    queries += re.findall(r"_searchmode=raw` to the URL and\s+search, e\.g\., `([^`]+)`", README)
    queries += re.findall(r"_searchmode=raw</code>.*?<code>([^<]+)</code>", METADATA["description_html"])
    assert len(queries) == 3, queries
    return queries


def test_documented_raw_queries_work_in_datasette_and_search_raw(corpus, capsys):
    for query in documented_raw_queries():
        status, data = get_json(corpus, f"/articles/articles.json?_searchmode=raw&_shape=objects&_search={query}")
        assert status == 200, data
        assert {row["title"] for row in data["rows"]} >= {PLACE, PLACE_IN_BODY}
        assert main(["search", "--db", str(corpus), "--raw", query, "--json"]) == 0
        assert PLACE in capsys.readouterr().out


def test_table_search_folds_da_nang_like_the_search_command(corpus):
    for query in ("Da Nang", "da nang", "Đà Nẵng"):
        status, data = get_json(corpus, f"/articles/articles.json?_shape=objects&_search={query}")
        assert status == 200, data
        titles = {row["title"] for row in data["rows"]}
        assert {PLACE, PLACE_IN_BODY} <= titles
        for row in data["rows"]:  # every match has both words, "d" read as "d" or "đ"
            words = set(re.findall(r"\w+", fold(" ".join((row["title"], row["lead"], row["body"])))))
            assert {"da", "nang"} <= words


def test_canned_search_ranks_the_place_first(corpus):
    for query in ("Da Nang", "Đà Nẵng"):
        status, data = get_json(corpus, f"/articles/search.json?_shape=objects&q={query}")
        assert status == 200, data
        titles = [row["title"] for row in data["rows"]]
        assert titles[:2] == [PLACE, PLACE_IN_BODY]  # phrase matches first, the title's before the body's
        assert set(titles[2:]) == set(DISTRACTORS)
        assert "[Đà] [Nẵng]" in data["rows"][0]["snippet"]
    status, data = get_json(corpus, "/articles/search.json?_shape=objects&q=")  # the form before any search
    assert status == 200 and data["rows"] == []


def test_other_databases_keep_datasette_search(tmp_path):
    import sqlite_utils

    other = sqlite_utils.Database(tmp_path / "other.db")
    other["notes"].insert_all([{"id": 1, "text": "Đà Nẵng"}, {"id": 2, "text": "Da Nang"}], pk="id")
    other["notes"].enable_fts(["text"])
    other.close()
    status, data = get_json(tmp_path / "other.db", "/other/notes.json?_search=Da+Nang&_shape=objects")
    assert status == 200 and [row["id"] for row in data["rows"]] == [2]
    status, data = get_json(tmp_path / "other.db", "/other.json")
    assert "search" not in {query["name"] for query in data["queries"]}
