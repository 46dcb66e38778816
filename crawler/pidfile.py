"""Who owns a JOBDIR: the ``crawl.pid`` file of a running crawl, checked so that a stale one cannot block for ever.

A pid file names the process that wrote it and, where the system tells (Linux ``/proc``), when that process
started. Process ids are reused: after a reboot or a long uptime, the pid of a crawl killed outright may belong to
any live process. A pid file's owner counts as live only when a process with that id exists *and* started at the
recorded time (or, for a file without a start time, runs ``scrapy`` or ``crawler``). No Scrapy import: the
``crawl`` command checks JOBDIRs before it starts the spiders (crawler/crawl_command.py).
"""

from __future__ import annotations

import os
from pathlib import Path

#: The pid file in a JOBDIR, written by crawler/runs.py JobDirGuard.
PID_FILE = "crawl.pid"
#: Programs one of which a crawler's command line runs (``python -m scrapy crawl ...``, ``.venv/bin/scrapy crawl
#: ...``, ``python -m crawler crawl ...``): the check for a pid file that recorded no start time.
CRAWLER_PROGRAMS = (b"scrapy", b"crawler", b"vn-news-crawler")


class JobDirInUse(RuntimeError):
    """Another live crawl owns the JOBDIR: this run is refused."""


def jobdir_in_use(jobdir: Path, pid: int) -> str:
    """The one line that says why a run is refused."""
    return f"JOBDIR {jobdir} is in use by running crawl process {pid}"


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_start_time(pid: int) -> str | None:
    """The start time of process ``pid`` in clock ticks since boot (``/proc/<pid>/stat``, field 22), or None when
    the system does not say (no ``/proc``, no such process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 2, the command name in parentheses, may hold spaces and parentheses: count fields after the last ")".
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def _runs_a_crawler(pid: int) -> bool:
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: nothing more to check than that the process is alive
    # One of its arguments is the program (a module after -m, or a script's path): not a word anywhere in the
    # command line, where a checkout's path ("/srv/vn-news-crawler/.venv/bin/python") would match any process.
    return any(os.path.basename(argument) in CRAWLER_PROGRAMS for argument in command.split(b"\0"))


def write_pid_file(path: Path) -> None:
    """Record this process (its pid and start time) in ``path``."""
    pid = os.getpid()
    path.write_text(f"{pid} {process_start_time(pid) or ''}".strip())


def read_pid_file(path: Path) -> tuple[int, str | None]:
    """(pid, start time or None) recorded in ``path``; pid 0 when the file is missing or unreadable."""
    try:
        words = path.read_text().split()
        return int(words[0]), (words[1] if len(words) > 1 else None)
    except (OSError, ValueError, IndexError):
        return 0, None


def live_owner(path: Path) -> int | None:
    """The pid of the live process that wrote the pid file ``path`` (other than this one), or None when there is
    none: no file, a dead process, or a live process that is not the one that wrote it (a reused pid)."""
    pid, started = read_pid_file(path)
    if not pid or pid == os.getpid() or not pid_alive(pid):
        return None
    if started is not None:
        current = process_start_time(pid)
        return pid if current is None or current == started else None
    return pid if _runs_a_crawler(pid) else None
