"""Where a spider's CPU time goes: one outlet's ``scrapy crawl`` against an in-process replica, sampled by py-spy
(``pip install .[bench]``), summarised by part of the code and by function.

``python -m benchmarks.profile_crawl [--outlet antv] [--articles 1000] [--output stacks.txt]``

py-spy samples only threads that are running, so shares are of CPU time. A sample belongs to the first part below
whose code is on its stack (so trafilatura and lxml called by extraction count as extraction); the rest is Scrapy,
Twisted and asyncio.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import NO_DELAY, ROOT
from crawler.replica.server import ReplicaServer

#: (part, path fragment of its code), in the order a sample is attributed.
PARTS = (
    ("near-duplicate signing and linking (crawler/corpus/neardup.py)", "crawler/corpus/neardup.py"),
    ("extraction (crawler/extraction/, with trafilatura and lxml)", "crawler/extraction/"),
    ("storage and pipelines (crawler/storage.py, pipelines/)", ("crawler/storage.py", "pipelines/")),
    ("spider: discovery, decoding, incremental rules (crawler/)", "crawler/"),
)
OTHER = "Scrapy, Twisted, asyncio, start-up imports"
SAMPLES_PER_SECOND = 250
#: Code locations left out of the function table.
FRAMEWORK = ("scrapy/", "twisted/", "asyncio/", "pydispatch/", "<frozen", "parsel/", "concurrent/", "threading")


def record(outlet: str, articles: int, stacks: Path) -> None:
    """Crawl ``outlet`` of a replica of ``articles`` articles under py-spy into a fresh database."""
    database = stacks.with_suffix(".db")
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)
    with ReplicaServer(articles_per_outlet=articles) as replica:
        subprocess.run(
            [
                Path(sys.executable).with_name("py-spy"),
                "record",
                "--rate",
                str(SAMPLES_PER_SECOND),
                "--format",
                "raw",
                "--output",
                str(stacks),
                "--",
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                outlet,
                "-s",
                f"DATABASE_PATH={database}",
                "-s",
                f"REPLICA_URL={replica.url}",
                "-s",
                "LOG_LEVEL=WARNING",
                *NO_DELAY,
            ],
            cwd=ROOT,
        )  # not checked: py-spy 0.4 exits with 1 ("No child process") after a complete recording
    if not stacks.exists() or not stacks.stat().st_size:
        raise SystemExit(f"py-spy recorded nothing into {stacks}")


def read_stacks(stacks: Path) -> list[tuple[list[str], int]]:
    """py-spy's raw format: one ``frame;frame;...;frame count`` line per distinct stack, outermost frame first."""
    out = []
    for line in stacks.read_text(encoding="utf-8").splitlines():
        frames, _, count = line.rpartition(" ")
        out.append((frames.split(";"), int(count)))
    return out


def part_of(frames: list[str]) -> str:
    for part, where in PARTS:
        fragments = (where,) if isinstance(where, str) else where
        if any(fragment in frame for frame in frames for fragment in fragments):
            return part
    return OTHER


def function_of(frame: str) -> str:
    """``name (path:line)`` without the line: one entry per function."""
    name, _, location = frame.partition(" (")
    return f"{name} ({location.rsplit(':', 1)[0]})"


def summary(stacks: list[tuple[list[str], int]], top: int) -> str:
    total = sum(count for _, count in stacks)
    parts: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    for frames, count in stacks:
        parts[part_of(frames)] += count
        for function in set(map(function_of, frames)):
            inclusive[function] += count
    lines = [
        f"{total} samples at {SAMPLES_PER_SECOND}/s ({total / SAMPLES_PER_SECOND:.1f} CPU s)",
        "",
        "| part | CPU share |",
        "|---|---:|",
    ]
    lines += [f"| {part} | {100 * count / total:.1f}% |" for part, count in parts.most_common()]
    lines += [
        "",
        f"Top {top} functions of the project and its libraries by inclusive CPU share (the framework's "
        "own frames left out: they wrap everything):",
        "",
        "| function | inclusive |",
        "|---|---:|",
    ]
    shown = [
        (function, count)
        for function, count in inclusive.most_common()
        if not function.split(" (", 1)[1].startswith(FRAMEWORK)
    ][:top]
    lines += [f"| `{function}` | {100 * count / total:.1f}% |" for function, count in shown]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlet", default="antv")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="100 articles")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--output", type=Path, help="keep py-spy's stacks here (default: a temporary file)")
    args = parser.parse_args(argv)
    stacks = args.output or Path(tempfile.mkdtemp(prefix="bench-profile-")) / "stacks.txt"
    stacks.parent.mkdir(parents=True, exist_ok=True)
    record(args.outlet, 100 if args.quick else args.articles, stacks)
    print(f"`scrapy crawl {args.outlet}`, replica of {100 if args.quick else args.articles} articles, no delay\n")
    print(summary(read_stacks(stacks), args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
