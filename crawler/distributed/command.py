"""``python -m crawler drain``: the writer of the distributed mode (see :mod:`crawler.distributed.drain`).

Registered by :func:`crawler.cli.build_parser` through :func:`add_parser`, like the other commands that live
next to what they run. Scrapy, Redis and SQLite are imported inside :func:`run_drain`, so ``--help`` answers at
once.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.distributed.drain import StopRequest

#: Signals that stop the writer gracefully: Ctrl-C, and systemd's (or any supervisor's) stop.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def add_parser(commands: argparse._SubParsersAction) -> None:
    drain = commands.add_parser(
        "drain",
        help="distributed mode: write the items queued in Redis by the workers into SQLite",
        description="Take the articles and failures that distributed workers (REDIS_URL set) queued in Redis, "
        "store them in the database in batches, and publish the stored URLs back to Redis so that later runs "
        "do not download them again. Run exactly one, next to the database.",
    )
    drain.add_argument("--db", metavar="PATH", help="SQLite database to write (default: the DATABASE_PATH setting)")
    drain.add_argument(
        "--redis", metavar="URL", help="Redis server (default: the REDIS_URL setting or environment variable)"
    )
    drain.add_argument(
        "--until-idle",
        metavar="SECONDS",
        type=float,
        default=None,
        help="exit once the queue stayed empty, with no live worker, this long (default: run until interrupted: "
        "Ctrl-C or SIGTERM stops after the batch in hand, a second one at once)",
    )
    drain.set_defaults(run=run_drain)


def run_drain(args: argparse.Namespace) -> int:
    from crawler.cli import project_settings
    from crawler.distributed import redis_url
    from crawler.distributed.drain import ItemsDrain, RedisUnavailable, redis_client
    from crawler.distributed.keys import RedisKeys
    from crawler.storage import UnusableDatabase, open_database

    settings = project_settings()
    url = args.redis or redis_url(settings)
    if not url:
        print("drain: no Redis server: pass --redis URL or set REDIS_URL", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.get("LOG_LEVEL", "INFO"), format="%(asctime)s [%(name)s] %(levelname)s: %(message)s"
    )
    database = args.db or settings["DATABASE_PATH"]
    try:
        db = open_database(database)
    except UnusableDatabase as error:
        print(f"drain: {error}", file=sys.stderr)
        return 1
    with db, stopped_by_signals() as stop:
        drain = ItemsDrain(
            redis_client(url),
            db,
            RedisKeys.of(settings),
            batch_size=settings.getint("STORE_BATCH_SIZE", 100),
            stop=stop,
        )
        try:
            drain.run(until_idle=args.until_idle)
        except KeyboardInterrupt:  # the second Ctrl-C: the batch being written was rolled back and stays in Redis
            pass
        except RedisUnavailable as error:
            print(f"drain: {error}; stored {drain.totals} into {database}", file=sys.stderr)
            return 1
    print(f"drain: {drain.totals} into {database}")
    return 0


@contextlib.contextmanager
def stopped_by_signals() -> Iterator[StopRequest]:
    """A stop request made by the first of :data:`STOP_SIGNALS`; the handlers in place before come back then, so
    that a second signal stops the process at once (``KeyboardInterrupt`` for SIGINT), and on leaving."""
    from crawler.distributed.drain import StopRequest

    stop = StopRequest()

    def request_stop(_signum: int, _frame: object) -> None:
        stop.request()
        restore()

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    previous = {sig: signal.signal(sig, request_stop) for sig in STOP_SIGNALS}
    try:
        yield stop
    finally:
        restore()
