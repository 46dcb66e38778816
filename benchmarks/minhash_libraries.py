"""The two MinHash libraries considered for near-duplicates, side by side: rensa (Rust) and datasketch (NumPy).

``python -m benchmarks.minhash_libraries [--articles 250]``

On the replica articles of the four outlets (``--articles`` per outlet), shingled as crawler/corpus/neardup.py
does: CPU time per article to compute 160 MinHash values, and the memory that importing the library adds to a
process (each crawl process imports it). datasketch is not a dependency: ``pip install datasketch==2.0.0`` to
include it, in a scratch environment (it brings NumPy and SciPy into the venv the tests run in).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Iterable

from benchmarks.neardup_clusters import replica_items
from crawler.corpus.neardup import PERMUTATIONS, SEED, minhash, shingles


def datasketch_minhash(shingle_set: Iterable[bytes]) -> list[int]:
    import datasketch

    values = datasketch.MinHash(num_perm=PERMUTATIONS, seed=SEED)
    values.update_batch(list(shingle_set))
    return values.hashvalues


def cpu_ms_per_article(sign, sets: list[set[bytes]]) -> float:
    sign(sets[0])  # imports and first-call set-up are not counted
    started = time.process_time()
    for shingle_set in sets:
        sign(shingle_set)
    return 1000 * (time.process_time() - started) / len(sets)


def import_mb(module: str) -> float:
    """RSS added by importing ``module`` in a fresh interpreter (after the crawler's own imports)."""
    code = (
        "import psutil, crawler.storage; before = psutil.Process().memory_info().rss; "
        f"import {module}; print(psutil.Process().memory_info().rss - before)"
    )
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=250, help="replica articles per outlet")
    args = parser.parse_args(argv)
    sets = [shingles(item.title, item.lead, item.body) for item in replica_items(args.articles)]
    rows = [("rensa (RMinHash)", "rensa", minhash)]
    try:
        import datasketch  # noqa: F401

        rows.append(("datasketch (MinHash.update_batch)", "datasketch", datasketch_minhash))
    except ImportError:
        print("datasketch is not installed: only rensa measured")
    print(f"MinHash of {len(sets):,} replica articles, {PERMUTATIONS} values (one run, side by side)\n")
    print("| library | CPU ms per article | import adds (MB RSS) |")
    print("|---|---:|---:|")
    for label, module, sign in rows:
        print(f"| {label} | {cpu_ms_per_article(sign, sets):.3f} | {import_mb(module):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
