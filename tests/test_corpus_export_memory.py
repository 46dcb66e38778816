"""``export`` streams: its peak memory is the same for 1,000 rows as for 8,000, and far below the output size.

Python's allocations are measured with tracemalloc (every row the export holds is Python objects: sqlite3 rows,
strings, dicts); Arrow's, for Parquet, with the peak of pyarrow's memory pool in a fresh process (the peak cannot
be reset, and an earlier test may have raised it). An export that read all rows before writing would hold the
whole corpus and fail both checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest

from crawler.corpus import export
from crawler.storage import open_database

ROOT = Path(__file__).resolve().parent.parent
ROWS, ROWS_PER_DAY, BATCH_ROWS = 8000, 100, 200
FIRST_DAY = date(2026, 1, 1)
#: --until of the small export: its first 1,000 rows (10 days).
SMALL_UNTIL = (FIRST_DAY + timedelta(days=9)).isoformat()


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """8,000 articles of about 2.5 KB, 100 a day from 2026-01-01 (bulk inserted: the store's rules are not what
    is measured here)."""
    path = tmp_path_factory.mktemp("export") / "articles.db"
    with open_database(path) as db:
        db["articles"].insert_all(
            (
                {
                    "outlet": "clo",
                    "url": f"https://congluan.vn/bai-{i}-post{i}.html",
                    "native_id": f"post{i}",
                    "title": f"Bài số {i} về Hà Nội",
                    "lead": f"(CLO) Mở đầu của bài {i}.",
                    "body": " ".join(f"Đoạn {i}-{j} nói về kinh tế, xã hội và đời sống." for j in range(50)),
                    "published": f"{FIRST_DAY + timedelta(days=i // ROWS_PER_DAY)}T08:00:00+07:00",
                    "tags": json.dumps(["kinh tế", f"thẻ {i}"], ensure_ascii=False),
                    "images": "[]",
                    "text_hash": f"hash{i}",
                    "extraction": "outlet",
                    "first_seen": "2026-03-01T00:00:00+00:00",
                    "last_crawled": "2026-03-01T00:00:00+00:00",
                }
                for i in range(ROWS)
            ),
            batch_size=500,
        )
    return path


class CountingSink:
    """A text file that keeps nothing: only how much was written (a StringIO would hold the whole output)."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


def python_peak(db_path: Path, export_function, until: str | None) -> tuple[int, int]:
    """(peak bytes allocated by Python during the export, characters written)."""
    from crawler.corpus.filters import ArticleFilter

    selected = ArticleFilter(until=until)
    sink = CountingSink()
    with open_database(db_path) as db:
        tracemalloc.start()
        try:
            export_function(db, selected, sink)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return peak, sink.size


@pytest.mark.parametrize("export_function", [export.export_jsonl, export.export_csv], ids=["jsonl", "csv"])
def test_text_exports_do_not_grow_with_rows(big_db, export_function, monkeypatch):
    monkeypatch.setattr(export, "BATCH_ROWS", BATCH_ROWS)
    small_peak, small_size = python_peak(big_db, export_function, SMALL_UNTIL)
    large_peak, large_size = python_peak(big_db, export_function, None)
    assert large_size > 7 * small_size > 0  # eight times the rows went out...
    assert large_peak < small_peak * 1.25 + 64_000, (small_peak, large_peak)  # ...in the same memory
    assert large_peak < large_size / 8  # and far less than the output: the corpus was never held


#: Run in a fresh process: the command line parsed and every module imported first, so that only the export
#: itself is measured.
PARQUET_PEAKS = """
import json, sys, tracemalloc
import pyarrow as pa, pyarrow.parquet, crawler.storage
from crawler.cli import build_parser
from crawler.corpus import export
export.BATCH_ROWS = int(sys.argv[1])
args = build_parser().parse_args(
    ["export", "--db", sys.argv[2], "--format", "parquet", "--output", sys.argv[3], *sys.argv[4:]])
tracemalloc.start()
code = args.run(args)
print(json.dumps({"code": code, "python": tracemalloc.get_traced_memory()[1],
                  "arrow": pa.default_memory_pool().max_memory()}))
"""


def parquet_peaks(db_path: Path, target: Path, *filters: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PARQUET_PEAKS, str(BATCH_ROWS), str(db_path), str(target), *filters],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    peaks = json.loads(result.stdout.splitlines()[-1])
    assert peaks["code"] == 0
    return peaks


def test_parquet_export_does_not_grow_with_rows(big_db, tmp_path):
    import pyarrow.parquet as pq

    small = parquet_peaks(big_db, tmp_path / "small.parquet", "--until", SMALL_UNTIL)
    large = parquet_peaks(big_db, tmp_path / "large.parquet")
    assert pq.ParquetFile(tmp_path / "small.parquet").metadata.num_rows == 1000
    metadata = pq.ParquetFile(tmp_path / "large.parquet").metadata
    assert metadata.num_rows == ROWS and metadata.num_row_groups == ROWS // BATCH_ROWS  # one row group per batch
    corpus_characters = ROWS * 2500  # held in Python, at least twice as many bytes (Vietnamese is not Latin-1)
    for pool in ("python", "arrow"):
        assert large[pool] < small[pool] * 1.25 + 256_000, (pool, small, large)
        assert large[pool] < corpus_characters / 4, (pool, large)
