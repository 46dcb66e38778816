"""What the benchmarks share: a measured ``python -m crawler crawl --all`` against an in-process replica, the
replica's access log read per outlet, and percentiles.

The replica runs in the benchmark's own process, the crawl in child processes (the ``crawl`` command and its one
``scrapy crawl`` per outlet). So the crawl's CPU time is exactly the children's (``RUSAGE_CHILDREN``: the command
waits for its spiders, so their time is included), and the replica's rendering is not counted in it.
"""

from __future__ import annotations

import dataclasses
import platform
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from crawler.replica.server import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent

#: The issue's "no artificial delay": the replica is local, so politeness delays would only measure sleeping.
#: Everything else (concurrency, JOBDIR, logging at INFO, near-duplicates) is the scheduled run's default.
NO_DELAY = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]

#: How often the memory of the crawl's processes is sampled. Peaks come from the kernel's high-water mark
#: (VmHWM), so a sample only has to happen after the peak, not at it.
SAMPLE_SECONDS = 0.2


@dataclasses.dataclass
class CrawlFigures:
    """One measured crawl of every outlet."""

    label: str
    stored: int
    """New articles stored (sum of ``crawl_runs.new``)."""
    article_pages: int
    """Article pages the replica served (200 or 304) during the crawl: what was downloaded to be extracted."""
    requests: int
    """Every request the replica served during the crawl (discovery pages included)."""
    wall_seconds: float
    cpu_seconds: float
    """User + system CPU time of the crawl's processes; the replica's is not included."""
    peak_rss_process_mb: float
    """The largest peak resident set of one process (a spider)."""
    peak_rss_total_mb: float
    """The largest sum, at one sample, of the resident sets of all the crawl's processes (the pages of the shared
    libraries they all map are counted once per process)."""
    peak_pss_total_mb: float
    """The same with proportional set sizes (a shared page counts 1/n in each of its n processes): the physical
    memory the crawl used."""
    exit_code: int

    @property
    def pages_per_second(self) -> float:
        return self.article_pages / self.wall_seconds

    @property
    def wall_ms_per_page(self) -> float:
        return 1000 * self.wall_seconds / max(1, self.article_pages)

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / max(1, self.article_pages)


class MemorySampler(threading.Thread):
    """Samples the resident memory of a process and its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(name="memory-sampler", daemon=True)
        self.root = psutil.Process(pid)
        self.peak_process_kb = 0
        self.peak_total_kb = 0
        self.peak_pss_total_kb = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(SAMPLE_SECONDS):
            self.sample()

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        total = pss = 0
        for process in processes:
            current, peak = _resident_kb(process.pid)
            total += current
            pss += _proportional_kb(process.pid)
            self.peak_process_kb = max(self.peak_process_kb, peak)
        self.peak_total_kb = max(self.peak_total_kb, total)
        self.peak_pss_total_kb = max(self.peak_pss_total_kb, pss)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _resident_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of ``pid`` in kB; zeros when it has just exited."""
    values = {"VmRSS:": 0, "VmHWM:": 0}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                name, *rest = line.split()
                if name in values:
                    values[name] = int(rest[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return values["VmRSS:"], values["VmHWM:"]


def _proportional_kb(pid: int) -> int:
    """Pss of ``pid`` in kB; 0 when it has just exited."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except (FileNotFoundError, ProcessLookupError):
        return 0


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured_crawl(
    label: str, replica: ReplicaServer, database: Path, workdir: Path, settings: Sequence[str] = (), root: Path = ROOT
) -> CrawlFigures:
    """Run ``python -m crawler crawl --all`` against ``replica`` into ``database`` (JOBDIRs and logs under
    ``workdir``) and measure it. ``root``: the checkout whose code runs (its directory comes first on the path)."""
    command = [
        sys.executable,
        "-m",
        "crawler",
        "crawl",
        "--all",
        "--db",
        str(database),
        "--replica",
        replica.url,
        "--jobs-dir",
        str(workdir / "jobs"),
        "--log-dir",
        str(workdir / "logs"),
        *NO_DELAY,
    ]
    for setting in settings:
        command += ["-s", setting]
    log_start = len(replica.access_log)
    cpu_before = children_cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = MemorySampler(process.pid)
    sampler.start()
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    cpu = children_cpu_seconds() - cpu_before
    if process.returncode != 0:
        print(f"[{label}] crawl exited with {process.returncode}:\n{output}", file=sys.stderr)
    log = replica.access_log[log_start:]
    return CrawlFigures(
        label=label,
        stored=last_batch_total(database, "new"),
        article_pages=sum(1 for request in article_requests(replica, log) if request[2] in (200, 304)),
        requests=len(log),
        wall_seconds=wall,
        cpu_seconds=cpu,
        peak_rss_process_mb=sampler.peak_process_kb / 1024,
        peak_rss_total_mb=sampler.peak_total_kb / 1024,
        peak_pss_total_mb=sampler.peak_pss_total_kb / 1024,
        exit_code=process.returncode,
    )


def article_requests(replica: ReplicaServer, log: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """``(outlet, path, status)`` of the requests in ``log`` that were for an article page of the replica."""
    out = []
    for host, target, status in log:
        site = replica.sites.get(host)
        path = urlsplit(target).path
        if site is not None and path in site.by_path:
            out.append((site.name, path, status))
    return out


def last_batch_total(database: Path, column: str) -> int:
    """The sum of ``column`` over the ``crawl_runs`` rows of the latest batch (one ``crawl`` command)."""
    if not database.exists():
        return 0
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            f"SELECT coalesce(sum({column}), 0) FROM crawl_runs "  # a column name of ours, not user input
            "WHERE batch = (SELECT batch FROM crawl_runs ORDER BY id DESC LIMIT 1)"
        ).fetchone()
    return row[0]


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0..1) percentile of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def machine() -> str:
    """One line describing the machine the figures come from."""
    memory = psutil.virtual_memory().total / 2**30
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    return (
        f"{model}, {psutil.cpu_count()} logical cores, {memory:.0f} GiB RAM; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in psutil.getloadavg())}"
    )
