"""The corpus functions take a typed filter (:class:`ArticleFilter`), never the command line's namespace: only the
command functions (``run``) read parsed arguments, and turn them into a filter in one place (``article_filter``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crawler import outlets
from crawler.cli import build_parser
from crawler.corpus.filters import ArticleFilter, article_filter, where
from crawler.items import Article
from crawler.storage import open_database, save_articles

ROOT = Path(__file__).resolve().parent.parent
#: Modules whose job is the command line: they may take parsed arguments anywhere.
COMMAND_LINE_MODULES = {
    "crawler/cli.py",
    "crawler/crawl_command.py",
    "crawler/extract_command.py",
    "crawler/corpus/commands.py",
    "crawler/distributed/command.py",
    "crawler/scrapy_commands/crawl.py",
    "crawler/doctor/command.py",
}
#: Elsewhere, the functions that read parsed arguments: a command's entry point, the filter's one reader.
COMMAND_FUNCTIONS = {"run", "article_filter"}


def _takes_a_namespace(function: ast.FunctionDef) -> bool:
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    return any(
        argument.annotation is not None and "Namespace" in ast.unparse(argument.annotation) for argument in arguments
    )


def test_library_functions_take_no_argparse_namespace():
    offenders = []
    for path in sorted([*(ROOT / "crawler").rglob("*.py"), *(ROOT / "pipelines").rglob("*.py")]):
        module = path.relative_to(ROOT).as_posix()
        if module in COMMAND_LINE_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and _takes_a_namespace(node)
                and node.name not in COMMAND_FUNCTIONS
            ):
                offenders.append(f"{module}:{node.lineno} {node.name}")
    assert not offenders, offenders


@pytest.mark.parametrize("command", ["search", "stats", "export", "report"])
def test_the_command_line_filters_become_one_article_filter(command):
    extra = ["ha noi"] if command == "search" else []
    args = build_parser().parse_args(
        [command, *extra, "--outlet", "clo", "--outlet", "tgvn", "--since", "2026-11-01", "--until", "2026-11-30"]
    )
    assert article_filter(args) == ArticleFilter(outlets=("clo", "tgvn"), since="2026-11-01", until="2026-11-30")
    assert article_filter(build_parser().parse_args([command, *extra])) == ArticleFilter()


def test_where_selects_by_outlet_and_article_date(tmp_path):
    first, second, third = outlets.names()[:3]
    with open_database(tmp_path / "articles.db") as db:
        save_articles(
            db,
            [
                Article(
                    outlet=outlet,
                    url=f"https://example.vn/{outlet}-{day}.html",
                    title=f"{outlet} {day}",
                    lead="L",
                    body=f"B {outlet} {day}",
                    published=f"2026-11-{day}T05:00:00+07:00",
                )
                for outlet in (first, second, third)
                for day in (10, 20)
            ],
        )

        def titles(selected: ArticleFilter) -> list[str]:
            conditions, params = where(selected)
            return [row[0] for row in db.execute(f"SELECT title FROM articles WHERE {conditions} ORDER BY id", params)]

        assert len(titles(ArticleFilter())) == 6
        assert titles(ArticleFilter(outlets=(first, third), since="2026-11-20")) == [f"{first} 20", f"{third} 20"]
        # 05:00 in Vietnam is the previous day in UTC: the filter reads the Vietnam day
        assert titles(ArticleFilter(outlets=(second,), until="2026-11-10")) == [f"{second} 10"]
