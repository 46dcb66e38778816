"""The memory the ``crawl`` command's own process holds while its spiders run, for this code and a baseline
checkout, one after the other against the same small replica.

``python -m benchmarks.parent_memory BASELINE_DIR [--articles 30]``
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import NO_DELAY, ROOT, SAMPLE_SECONDS, _proportional_kb, _resident_kb
from crawler.replica.server import ReplicaServer


def parent_peak(root: Path, replica: ReplicaServer, workdir: Path) -> tuple[int, int]:
    """(peak RSS, peak PSS) in MB of ``python -m crawler crawl --all`` itself (not its spiders), run from ``root``."""
    command = [
        sys.executable,
        "-m",
        "crawler",
        "crawl",
        "--all",
        "--db",
        str(workdir / f"{root.name}.db"),
        "--replica",
        replica.url,
        "--jobs-dir",
        "",
        "--log-dir",
        str(workdir / "logs"),
        *NO_DELAY,
    ]
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL)
    peak_rss = peak_pss = 0
    while process.poll() is None:
        peak_rss = max(peak_rss, _resident_kb(process.pid)[1])
        peak_pss = max(peak_pss, _proportional_kb(process.pid))
        time.sleep(SAMPLE_SECONDS)
    return peak_rss // 1024, peak_pss // 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("baseline", type=Path, help="another checkout (e.g. git archive <commit> | tar -x -C DIR)")
    parser.add_argument("--articles", type=int, default=30)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-parent-"))
    print("| code | crawl command's peak RSS (MB) | its peak PSS (MB) |\n|---|---:|---:|")
    with ReplicaServer(articles_per_outlet=args.articles) as replica:
        for label, root in (("baseline", args.baseline.resolve()), ("this code", ROOT)):
            rss, pss = parent_peak(root, replica, workdir)
            print(f"| {label} | {rss} | {pss} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
