"""``python -m crawler drain``: the writer of the distributed mode (see :mod:`crawler.distributed.drain`).

Registered by :func:`crawler.cli.build_parser` through :func:`add_parser`, like the other commands that live
next to what they run. Scrapy, Redis and SQLite are imported inside :func:`run_drain`, so ``--help`` answers at
once.
"""

from __future__ import annotations

import argparse
import logging
import sys


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
        help="exit once the queue stayed empty, with no live worker, this long (default: run until interrupted)",
    )
    drain.set_defaults(run=run_drain)


def run_drain(args: argparse.Namespace) -> int:
    from redis import Redis

    from crawler.cli import project_settings
    from crawler.distributed import redis_url
    from crawler.distributed.drain import ItemsDrain, RedisUnavailable
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
    with db:
        drain = ItemsDrain(
            Redis.from_url(url), db, RedisKeys.of(settings), batch_size=settings.getint("STORE_BATCH_SIZE", 100)
        )
        try:
            drain.run(until_idle=args.until_idle)
        except KeyboardInterrupt:  # a batch being written was rolled back and stays in Redis for the next writer
            pass
        except RedisUnavailable as error:
            print(f"drain: {error}; stored {drain.totals} into {database}", file=sys.stderr)
            return 1
    print(f"drain: {drain.totals} into {database}")
    return 0
