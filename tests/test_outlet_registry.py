"""The outlet registry: the one place that lists the outlets, Scrapy-free, strict about broken outlet modules.

The fifth-outlet drill (tests/test_fifth_outlet.py) shows an outlet added without editing a core file; these tests
keep the rest of the code from listing outlets by hand again.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import outlets
from crawler.outlets import OutletError

ROOT = Path(__file__).resolve().parent.parent
#: Where the outlets may be named together: the registry itself, and the seed pages' builder (the seed pages are
#: those four outlets' real pages, read by one parser each).
ALLOWED = {ROOT / "crawler" / "outlets", ROOT / "crawler" / "replica" / "build_seed_data.py"}
#: Three names in one literal make a list of outlets; fixtures naming one or two outlets are data.
LIST_SIZE = 3


def _python_files() -> list[Path]:
    files = []
    for folder in ("crawler", "pipelines", "spiders", "tests", "benchmarks"):
        files += [
            path
            for path in (ROOT / folder).rglob("*.py")
            if not any(path == allowed or allowed in path.parents for allowed in ALLOWED)
        ]
    return files


def _outlet_lists(path: Path, names: set[str]) -> list[str]:
    """Literal collections holding LIST_SIZE or more outlet names, and strings naming as many."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        values: list[object] = []
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
        elif isinstance(node, ast.Dict):
            values = [k.value for k in node.keys if isinstance(k, ast.Constant)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            values = [word.strip("`'\",.;:()") for word in node.value.split()]
        if len(names & set(values)) >= LIST_SIZE:
            found.append(f"{path.relative_to(ROOT) if ROOT in path.parents else path}:{node.lineno}")
    return found


def test_no_outlet_list_outside_the_registry():
    names = set(outlets.names())
    offenders = [where for path in _python_files() for where in _outlet_lists(path, names)]
    assert not offenders, f"outlets listed by hand (iterate crawler.outlets.registry() instead): {offenders}"


def test_the_grep_finds_a_hand_written_list(tmp_path):
    sample = tmp_path / "sample.py"
    known = outlets.names()[:LIST_SIZE]
    sample.write_text(f"A = {known!r}\nB = {dict.fromkeys(known, 1)!r}\nC = {' '.join(known)!r}\nD = {known[:2]!r}\n")
    assert len(_outlet_lists(sample, set(outlets.names()))) == 3


def test_extraction_loads_no_scrapy_or_twisted():
    """The extractor is a pure function: importing it and extracting a page loads neither Scrapy nor Twisted."""
    program = (
        "import sys\n"
        "from crawler.extraction import extract\n"
        "from crawler.replica.pages import article_page\n"
        "from crawler.replica.content import replica_articles\n"
        "article = replica_articles('clo', 3)[0]\n"
        "assert extract(article_page('clo', article), article.url).title == article.title\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'twisted'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_spider_comes_from_the_registry():
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == sorted(outlets.names())


@pytest.fixture
def extra_outlets(monkeypatch, tmp_path):
    """Set VN_NEWS_OUTLETS to modules written in tmp_path; the registry is read again after the test."""
    monkeypatch.syspath_prepend(str(tmp_path))

    def use(**modules: str):
        for name, source in modules.items():
            (tmp_path / f"{name}.py").write_text(source)
        monkeypatch.setenv(outlets.EXTRA_OUTLETS_VARIABLE, ",".join(modules))
        return outlets.reload()

    yield use
    monkeypatch.delenv(outlets.EXTRA_OUTLETS_VARIABLE, raising=False)
    outlets.reload()


def test_a_broken_outlet_module_is_an_error_not_a_silent_fallback(extra_outlets):
    with pytest.raises(OutletError, match="cannot be imported: NameError"):
        extra_outlets(broken_outlet="from crawler.outlet import Outlet\nclass Broken(Outlet):\n    name = undefined\n")


def test_an_outlet_module_without_an_outlet_is_an_error(extra_outlets):
    with pytest.raises(OutletError, match="exactly one Outlet subclass"):
        extra_outlets(empty_outlet="X = 1\n")


def test_an_outlet_reusing_a_known_host_is_an_error(extra_outlets):
    clash = (
        "import re\nfrom crawler.outlet import Outlet\nclass Copy(Outlet):\n    name = 'copy'\n"
        "    display_name = 'Copy'\n    home = 'https://congluan.vn/'\n"
        "    article_paths = (re.compile(r'/x.html'),)\n"
    )
    with pytest.raises(OutletError, match=r"congluan\.vn belongs to both clo and copy"):
        extra_outlets(clash_outlet=clash)


@pytest.mark.parametrize("command", [("crawler", "crawl", "--all"), ("scrapy", "crawl", "clo"), ("scrapy", "list")])
def test_a_broken_outlet_module_stops_every_command_with_one_line(tmp_path, command):
    (tmp_path / "broken_outlet.py").write_text("raise RuntimeError('boom')\n")
    env = {
        **os.environ,
        outlets.EXTRA_OUTLETS_VARIABLE: "broken_outlet",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    result = subprocess.run(
        [sys.executable, "-m", *command], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert result.returncode == 1
    assert "broken_outlet" in result.stderr and "RuntimeError: boom" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


#: The extraction rules' modules: every threshold they compare against is named in crawler/extraction/thresholds.py.
RULE_MODULES = ("core", "fields", "noise", "images", "authors", "text")


def test_extraction_rules_compare_against_named_thresholds_only():
    """No number in a comparison or a product of the rules but 0, 1 and 2 (counts: none, one, several)."""
    found = []
    for name in RULE_MODULES:
        path = ROOT / "crawler" / "extraction" / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            operands = (
                node.comparators
                if isinstance(node, ast.Compare)
                else [node.left, node.right]
                if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)
                else []
            )
            for operand in operands:
                if (
                    isinstance(operand, ast.Constant)
                    and isinstance(operand.value, int | float)
                    and not isinstance(operand.value, bool)
                    and operand.value not in (0, 1, 2)
                ):
                    found.append(f"{name}.py:{node.lineno}: {operand.value}")
    assert not found, found
