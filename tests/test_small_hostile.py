"""Small hostile cases (issue 12, item 6): ``Retry-After`` with non-ASCII digits, a stale ``crawl.pid`` naming a
live unrelated process, an overlapping run refused on the console."""

from __future__ import annotations

import subprocess
import sys

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler import stats_keys
from crawler.cli import main
from crawler.middlewares import BackoffRetryMiddleware, retry_after_seconds
from crawler.runs import JobDirGuard


@pytest.mark.parametrize("value", ["²", "١٢", "5²", "+5", "-1", "1.5", "", "5 s"])
def test_retry_after_is_ascii_digits_or_an_http_date(value):
    assert retry_after_seconds(value) is None


def test_a_503_with_a_superscript_retry_after_is_retried_after_the_usual_backoff():
    crawler = get_crawler(settings_dict={"RETRY_BACKOFF_BASE": 0.5, "RETRY_AFTER_MAX": 60})
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://baoquocte.vn/a-1.html")
    # "²" as a latin-1 server sends it (header bytes are read as latin-1)
    response = HtmlResponse(request.url, status=503, headers={"Retry-After": b"\xb2"})
    assert middleware.delay(request, response) == 0.5


@pytest.fixture
def live_process(request):
    """A live process running the given command line."""
    processes = []

    def start(*argv: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", *argv])
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.kill()
        process.wait()


def test_a_stale_pid_file_naming_a_live_unrelated_process_does_not_block(tmp_path, live_process):
    unrelated = live_process("--some-other-program")
    jobdir = tmp_path / "clo"
    jobdir.mkdir()
    (jobdir / "crawl.pid").write_text(str(unrelated.pid))  # a crawl killed outright; its pid reused since
    crawler = get_crawler(settings_dict={"JOBDIR": str(jobdir)})
    JobDirGuard.from_crawler(crawler)  # claims the JOBDIR instead of refusing for ever
    assert crawler.stats.get_value(stats_keys.JOBDIR_RESET_AFTER_CRASH) == 1


def test_a_process_run_from_a_checkout_named_after_the_crawler_is_not_taken_for_a_crawl(tmp_path):
    """The pid's command line names the crawler only in its interpreter's path (a clone in ``vn-news-crawler/``):
    an unrelated process, which must not block the JOBDIR."""
    checkout = tmp_path / "vn-news-crawler" / ".venv" / "bin"
    checkout.mkdir(parents=True)
    (checkout / "python").symlink_to(sys.executable)
    unrelated = subprocess.Popen([str(checkout / "python"), "-c", "import time; time.sleep(60)"])
    try:
        jobdir = tmp_path / "clo"
        jobdir.mkdir()
        (jobdir / "crawl.pid").write_text(str(unrelated.pid))
        crawler = get_crawler(settings_dict={"JOBDIR": str(jobdir)})
        JobDirGuard.from_crawler(crawler)
        assert crawler.stats.get_value(stats_keys.JOBDIR_RESET_AFTER_CRASH) == 1
    finally:
        unrelated.kill()
        unrelated.wait()


def test_a_live_crawl_still_owns_its_jobdir(tmp_path, live_process):
    crawl = live_process("scrapy", "crawl", "clo")
    jobdir = tmp_path / "clo"
    jobdir.mkdir()
    (jobdir / "crawl.pid").write_text(str(crawl.pid))
    with pytest.raises(RuntimeError, match=f"in use .*{crawl.pid}"):
        JobDirGuard.from_crawler(get_crawler(settings_dict={"JOBDIR": str(jobdir)}))


def test_an_overlapping_run_is_refused_with_one_line_on_the_console(tmp_path, live_process, capsys):
    crawl = live_process("scrapy", "crawl", "clo")  # the run still going on
    jobs = tmp_path / "jobs"
    (jobs / "clo").mkdir(parents=True)
    (jobs / "clo" / "crawl.pid").write_text(str(crawl.pid))
    code = main(
        [
            "crawl",
            "clo",
            "--db",
            str(tmp_path / "articles.db"),
            "--jobs-dir",
            str(jobs),
            "--log-dir",
            str(tmp_path / "logs"),
        ]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "clo" in err[0] and "in use" in err[0] and str(crawl.pid) in err[0]


def test_a_pid_file_whose_start_time_is_not_the_live_process_s_does_not_block(tmp_path, live_process):
    reused = live_process("scrapy", "crawl", "clo")  # even a crawler: not the one that wrote the file
    jobdir = tmp_path / "clo"
    jobdir.mkdir()
    (jobdir / "crawl.pid").write_text(f"{reused.pid} 1")  # started one clock tick after boot
    crawler = get_crawler(settings_dict={"JOBDIR": str(jobdir)})
    JobDirGuard.from_crawler(crawler)
    assert crawler.stats.get_value(stats_keys.JOBDIR_RESET_AFTER_CRASH) == 1
