"""Near-duplicates: wire copy republished by several outlets is linked, not dropped; exact duplicates stay single."""

from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from crawler import outlets
from crawler.corpus.neardup import (
    ESTIMATE_FLOOR,
    PERMUTATIONS,
    THRESHOLD,
    UNDATED,
    WINDOW_DAYS,
    candidates,
    clusters,
    jaccard,
    minhash,
    publication_day,
    relink_all,
    shingles,
    signature,
    signed,
    similarity,
    update_near_duplicates,
)
from crawler.items import Article
from crawler.replica.content import replica_articles
from crawler.replica.wire import EDITIONS, edition_urls
from crawler.storage import open_database, save_articles

OUTLETS = outlets.names()


def as_item(replica) -> Article:
    return Article(
        outlet=replica.outlet,
        url=replica.url,
        native_id=replica.native_id,
        title=replica.title,
        lead=replica.lead,
        body="\n\n".join(replica.body),
        published=replica.published,
        fetched_at="2026-11-21T00:00:00+00:00",
    )


def is_wire_edition(replica) -> bool:
    return replica.url in edition_urls()


def test_replicas_carry_cross_outlet_wire_stories_with_small_edits():
    stories: dict[str, list] = {}
    for outlet in OUTLETS:
        for replica in replica_articles(outlet, 30):
            if is_wire_edition(replica):
                stories.setdefault(replica.title.split(",")[0].split(":")[0][:30], []).append(replica)
    assert len(stories) == len({story for story, _ in EDITIONS.values()}) >= 3
    for editions in stories.values():
        assert len({edition.outlet for edition in editions}) >= 2
        assert len({"\n".join(edition.body) for edition in editions}) == len(editions)  # never exact copies


def test_wire_editions_are_clustered_and_other_articles_are_not(tmp_path):
    items = [as_item(replica) for outlet in OUTLETS for replica in replica_articles(outlet, 40)]
    with open_database(tmp_path / "a.db") as db:
        new, _ = save_articles(db, items)
        assert new == len(items)  # near-duplicates are all stored
        signed, _ = update_near_duplicates(db)
        assert signed == len(items)
        groups = clusters(db)
        wire_titles = {
            replica.title for outlet in OUTLETS for replica in replica_articles(outlet, 40) if is_wire_edition(replica)
        }
        clustered = {member["title"] for members in groups for member in members}
        assert clustered == wire_titles
        assert len(groups) == len({story for story, _ in EDITIONS.values()})
        for members in groups:
            assert len({member["outlet"] for member in members}) == len(members)  # one per outlet
            assert {
                row[0]
                for row in db.execute(
                    f"SELECT cluster_id FROM articles WHERE id IN ({','.join(str(m['id']) for m in members)})"
                )
            } == {members[0]["id"]}
        # Incremental: nothing new, nothing to do.
        assert update_near_duplicates(db) == (0, 0)


def test_each_spider_signing_its_own_outlet_gives_the_same_clusters(tmp_path):
    """The crawl's pipelines sign outlet by outlet, in whatever order the spiders' batches come."""
    items = [as_item(replica) for outlet in OUTLETS for replica in replica_articles(outlet, 40)]
    cluster_ids = []
    for name, order in (("all", [None]), ("reversed", list(reversed(OUTLETS)))):
        with open_database(tmp_path / f"{name}.db") as db:
            save_articles(db, items)
            signed = sum(update_near_duplicates(db, outlet)[0] for outlet in order)
            assert signed == len(items)
            cluster_ids.append(list(db.execute("SELECT url, cluster_id FROM articles ORDER BY url")))
    assert cluster_ids[0] == cluster_ids[1]
    assert sum(1 for _, cluster in cluster_ids[0] if cluster is not None) >= 8


def test_a_late_edition_joins_the_existing_cluster_and_exact_copies_are_stored_once(tmp_path):
    editions = [
        replica
        for outlet in OUTLETS
        for replica in replica_articles(outlet, 30)
        if is_wire_edition(replica) and "Mê Kông" in replica.title
    ]
    first, *others = [as_item(replica) for replica in editions]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, [first])
        update_near_duplicates(db)
        save_articles(db, others)
        exact_copy = dataclasses.replace(
            first, url="https://baoquocte.vn/copy-999.html", outlet="tgvn", native_id="999"
        )
        assert save_articles(db, [exact_copy]) == (0, 1)  # same text: stored once
        update_near_duplicates(db)
        [members] = clusters(db)
        assert len(members) == len(editions) and members[0]["title"] == first.title


def test_similarity_counts_equal_signature_values_exactly():
    rng = random.Random(7)
    for _ in range(200):
        first = bytes(rng.choice((0, 1, 0x7F, 0x80, 0xFF, rng.getrandbits(8))) for _ in range(PERMUTATIONS))
        second = bytes(value if rng.random() < 0.6 else rng.getrandbits(8) for value in first)
        equal = sum(x == y for x, y in zip(first, second))
        assert similarity(first, second) == equal / PERMUTATIONS


def test_the_estimate_floor_keeps_every_pair_at_the_threshold():
    # The estimate only skips the exact check, so a pair at THRESHOLD it rejects would be lost. The count of equal
    # values is Binomial(128, J): at J = 0.7, below 0.55 (70 of 128 or fewer) has probability 1.8e-4. Checked here
    # on every wire edition pair, and on synthetic edits (words replaced) of articles down to J = 0.7.
    editions = [replica for outlet in OUTLETS for replica in replica_articles(outlet, 40) if is_wire_edition(replica)]
    sets = [shingles(replica.title, replica.lead, "\n\n".join(replica.body)) for replica in editions]
    rng = random.Random(3)
    for replica in replica_articles("antv", 60):
        words = "\n\n".join(replica.body).split()
        for _ in range(3):
            edited = [f"edit{rng.random()}" if rng.random() < 0.06 else word for word in words]
            sets += [
                shingles(replica.title, replica.lead, " ".join(words)),
                shingles(replica.title, replica.lead, " ".join(edited)),
            ]
    signed = [(shingle_set, signature(minhash(shingle_set))) for shingle_set in sets]
    checked = 0
    for (first, first_sig), (second, second_sig) in itertools.combinations(signed, 2):
        if jaccard(first, second) >= THRESHOLD:
            checked += 1
            assert similarity(first_sig, second_sig) >= ESTIMATE_FLOOR
    assert checked > 100


def test_clusters_are_the_wire_stories_exactly(tmp_path):
    """The clusters the first (pure Python) version found on the replicas, which are the replicas' ground truth:
    one cluster per wire story, holding exactly that story's editions."""
    from crawler.replica.wire import EDITIONS, _edition

    expected = {}
    for (outlet, k), (story, _) in EDITIONS.items():
        expected.setdefault(story, set()).add(_edition(outlet, k).url)
    items = [as_item(replica) for outlet in OUTLETS for replica in replica_articles(outlet, 200)]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, items)
        for outlet in OUTLETS:
            update_near_duplicates(db, outlet)
        found = [{member["url"] for member in members} for members in clusters(db)]
    assert sorted(map(sorted, found)) == sorted(map(sorted, expected.values()))


def test_unrelated_articles_share_a_band_with_few_others(tmp_path):
    """The replicas build unrelated articles from shared sentence banks (a fifth of their pairs reach 0.2 Jaccard
    similarity): bands of 4 values made one article in 17 a candidate of each new one, so linking cost grew with
    the corpus. With bands of 5, under 1% of the corpus (the first version: 6%)."""
    items = [as_item(replica) for outlet in OUTLETS for replica in replica_articles(outlet, 150)]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, items)
        update_near_duplicates(db)
        size = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        pairs = db.execute(
            "SELECT count(DISTINCT mine.article_id || '-' || other.article_id) FROM neardup_bands mine "
            "JOIN neardup_bands other ON other.key = mine.key AND other.article_id != mine.article_id"
        ).fetchone()[0]
    assert pairs / size < 0.01 * size


def test_signatures_take_under_1kb_per_article(tmp_path):
    items = [as_item(replica) for outlet in OUTLETS for replica in replica_articles(outlet, 150)]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, items)
        update_near_duplicates(db)
        db.execute("VACUUM")
        size = db.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'neardup%'").fetchone()[0]
        assert size / len(items) < 1024


def test_a_changed_text_is_signed_again_without_its_old_bands(tmp_path):
    mekong = [
        as_item(replica)
        for outlet in OUTLETS
        for replica in replica_articles(outlet, 30)
        if is_wire_edition(replica) and "Mê Kông" in replica.title
    ]
    apec = [
        as_item(replica)
        for outlet in OUTLETS
        for replica in replica_articles(outlet, 30)
        if is_wire_edition(replica) and "APEC" in replica.title
    ]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, [mekong[0], apec[0]])
        assert update_near_duplicates(db) == (2, 0)
        # The Mê Kông article's text becomes the second APEC edition's (a content update): signed again, linked
        # to the APEC story, and only its new bands remain.
        first_id = db.execute("SELECT id FROM articles WHERE url = ?", [mekong[0].url]).fetchone()[0]
        db.execute(
            "UPDATE articles SET title = ?, lead = ?, body = ?, text_hash = 'changed' WHERE id = ?",
            [apec[1].title, apec[1].lead, apec[1].body, first_id],
        )
        assert update_near_duplicates(db) == (1, 2)
        assert db.execute("SELECT count(*) FROM neardup_bands WHERE article_id = ?", [first_id]).fetchone()[0] == 32
        assert len({row[0] for row in db.execute("SELECT cluster_id FROM articles")}) == 1


def test_the_migration_signs_again_what_the_old_tables_had_signed(tmp_path):
    """Migration ``compact_near_duplicate_signatures`` replaces the 64-bit signatures of ``minhashes``: articles they
    had signed (with their current text) are signed again and keep their cluster; the others are left for the next
    linking."""
    import sqlite_utils

    from crawler.migrations import MIGRATIONS, latest_version, schema_version

    mekong = [
        as_item(replica)
        for outlet in OUTLETS
        for replica in replica_articles(outlet, 30)
        if is_wire_edition(replica) and "Mê Kông" in replica.title
    ]
    before = [migration.name for migration in MIGRATIONS].index("compact_near_duplicate_signatures")
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    for migration in MIGRATIONS[:before]:
        migration.apply(old)
    old.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
        "applied_at TEXT NOT NULL)"
    )
    old["schema_migrations"].insert_all(
        {"version": n, "name": m.name, "applied_at": "2026-01-01"} for n, m in enumerate(MIGRATIONS[:before], 1)
    )
    for article_id, item in enumerate(mekong, 1):
        old["articles"].insert(
            {
                "id": article_id,
                "outlet": item.outlet,
                "url": item.url,
                "title": item.title,
                "lead": item.lead,
                "body": item.body,
                "tags": "[]",
                "images": "[]",
                "text_hash": f"hash{article_id}",
                "extraction": "outlet",
                "first_seen": "2026-11-14T00:00:00+00:00",
                "last_crawled": "2026-11-14T00:00:00+00:00",
                "cluster_id": 1 if article_id <= 2 else None,
            }
        )
    # The first two were signed and linked by the old code; the third was stored with NEAR_DUPLICATES off.
    old["minhashes"].insert_all(
        {"article_id": article_id, "signature": b"\0" * 1024, "text_hash": f"hash{article_id}"} for article_id in (1, 2)
    )
    old["minhash_bands"].insert({"band": 0, "hash": "00", "article_id": 1})
    old.close()
    with open_database(path) as db:
        assert schema_version(db) == latest_version()
        assert not {"minhashes", "minhash_bands"} & set(db.table_names())
        assert [row[0] for row in db.execute("SELECT article_id FROM neardup_signatures")] == [1, 2]
        assert db.execute("SELECT count(*) FROM neardup_bands").fetchone()[0] == 2 * 32
        assert update_near_duplicates(db) == (1, 1)
        [members] = clusters(db)
        assert [member["id"] for member in members] == [1, 2, 3]


def test_after_limits_the_signing_to_newer_articles_and_a_full_pass_catches_up(tmp_path):
    """A crawl links batch by batch above the previous batch's newest id (without reading the whole corpus), and
    once at its close over every article, which signs what the batches left (here: an older unsigned article)."""
    editions = [
        as_item(replica)
        for outlet in OUTLETS
        for replica in replica_articles(outlet, 30)
        if is_wire_edition(replica) and "Mê Kông" in replica.title
    ]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, editions)
        assert update_near_duplicates(db, after=1) == (len(editions) - 1, len(editions) - 1)
        assert update_near_duplicates(db, after=1) == (0, 0)
        # The older article joins, and the cluster's id becomes its id: every member changes.
        assert update_near_duplicates(db) == (1, len(editions))
        [members] = clusters(db)
        assert len(members) == len(editions) and members[0]["id"] == 1


def wire_editions(story: str) -> list[Article]:
    return [
        as_item(replica)
        for outlet in OUTLETS
        for replica in replica_articles(outlet, 30)
        if is_wire_edition(replica) and story in replica.title
    ]


def test_editions_published_more_than_the_window_apart_are_not_compared(tmp_path):
    """A wire story's editions come out within days; the same text months later is not looked for. An undated
    edition is compared with every article, dated or not."""
    first, second, third = wire_editions("Mê Kông")
    early, late = wire_editions("APEC")
    dated = [
        dataclasses.replace(first, published="2026-01-01T08:00:00+07:00"),
        dataclasses.replace(second, published=f"2026-01-{1 + WINDOW_DAYS:02d}T20:00:00+07:00"),  # inside
        dataclasses.replace(third, published="2026-06-01T08:00:00+07:00"),  # months later
        dataclasses.replace(early, published="2025-03-01T08:00:00+07:00"),
        dataclasses.replace(late, published=None),
    ]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, dated)
        update_near_duplicates(db)
        found = sorted(sorted(member["url"] for member in members) for members in clusters(db))
    assert found == sorted([sorted([first.url, second.url]), sorted([early.url, late.url])])


def test_a_lookup_reads_the_window_not_the_whole_archive(tmp_path):
    """The same articles (their texts edited, so none is an exact copy) stored a year earlier share the recent
    ones' bands: without the window each would be a candidate of its recent self."""
    recent = [as_item(replica) for outlet in OUTLETS for replica in replica_articles(outlet, 40)]
    old = [
        dataclasses.replace(
            item,
            url=item.url + "-cu",
            native_id=None,
            body=item.body + "\n\nBài viết được đăng lại.",
            published=f"2025-01-{1 + index % 28:02d}T08:00:00+07:00",
        )
        for index, item in enumerate(recent)
    ]
    edition = wire_editions("Mê Kông")[0]
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, old + recent)
        update_near_duplicates(db)
        old_ids = {row[0] for row in db.execute("SELECT id FROM articles WHERE published LIKE '2025-01-%'")}
        article_id, title, lead, body, published = db.execute(
            "SELECT id, title, lead, body, published FROM articles WHERE url = ?", [edition.url]
        ).fetchone()
        keys = signed(title, lead, body)[1]
        in_window = {other for other, _ in candidates(db, article_id, keys, publication_day(published))}
        any_day = {other for other, _ in candidates(db, article_id, keys, UNDATED)}
        siblings = {
            row[0]
            for row in db.execute(
                "SELECT id FROM articles WHERE cluster_id = (SELECT cluster_id FROM articles WHERE id = ?) AND id != ?",
                [article_id, article_id],
            )
        }
    assert any_day & old_ids  # its own edited copy at least
    assert len(siblings) == 2 and siblings <= in_window  # the other editions, out the same days
    assert not in_window & old_ids


def test_the_window_migration_files_the_bands_under_their_articles_days(tmp_path):
    """Migration ``near_duplicate_window`` adds the day to a signed corpus: each article's bands move under its
    publication day (-1 undated), and a new edition still finds the migrated ones."""
    import sqlite_utils

    from crawler.corpus.neardup import pack_band_keys
    from crawler.migrations import MIGRATIONS

    first, second, third = wire_editions("Mê Kông")
    first = dataclasses.replace(first, published=None)
    before = [migration.name for migration in MIGRATIONS].index("near_duplicate_window")
    path = tmp_path / "old.db"
    with open_database(path) as db:
        save_articles(db, [first, second, third])
    old = sqlite_utils.Database(path)  # rewound to the version before, signed the way it signed
    old.execute("DELETE FROM schema_migrations WHERE version > ?", [before])
    old.execute("DROP TABLE neardup_bands")
    old.execute("DROP TABLE neardup_signatures")
    old.execute(
        "CREATE TABLE neardup_signatures (article_id INTEGER PRIMARY KEY, signature BLOB NOT NULL, "
        "band_keys BLOB NOT NULL, text_hash TEXT NOT NULL)"
    )
    old.execute(
        "CREATE TABLE neardup_bands (key INTEGER NOT NULL, article_id INTEGER NOT NULL, "
        "PRIMARY KEY (key, article_id)) WITHOUT ROWID"
    )
    published = {}
    for article_id, title, lead, body, text_hash, day in old.execute(
        "SELECT id, title, lead, body, text_hash, published FROM articles"
    ).fetchall():
        sig, keys = signed(title, lead, body)
        old.execute(
            "INSERT INTO neardup_signatures VALUES (?, ?, ?, ?)",
            [article_id, sig, pack_band_keys(keys), text_hash[:16]],
        )
        old.conn.executemany("INSERT INTO neardup_bands VALUES (?, ?)", [(key, article_id) for key in keys])
        published[article_id] = publication_day(day)
    # another tool deleted the third article: its signature and bands stay behind
    [[deleted]] = old.execute("SELECT id FROM articles WHERE url = ?", [third.url]).fetchall()
    old.execute("DELETE FROM articles WHERE id = ?", [deleted])
    del published[deleted]
    old.conn.commit()
    old.close()
    assert sorted(published.values())[0] == UNDATED
    with open_database(path) as db:
        days = dict(db.execute("SELECT article_id, day FROM neardup_signatures").fetchall())
        assert days == published
        for article_id, day in days.items():
            assert {
                row[0] for row in db.execute("SELECT day FROM neardup_bands WHERE article_id = ?", [article_id])
            } == {day}
        assert db.execute("SELECT count(*) FROM neardup_bands").fetchone()[0] == 2 * 32
        save_articles(db, [third])
        assert update_near_duplicates(db) == (1, 3)
        [members] = clusters(db)
        assert len(members) == 3


def test_a_changed_publication_date_moves_the_bands_to_it(tmp_path):
    """A re-extraction that reads another date (same text) files the article's bands under the new day, where
    the editions published around it look for it."""
    first, second, _ = wire_editions("Mê Kông")
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, [dataclasses.replace(first, published="2026-01-01T08:00:00+07:00")])
        assert update_near_duplicates(db) == (1, 0)
        db.execute("UPDATE articles SET published = '2026-05-01T08:00:00+07:00'")
        assert update_near_duplicates(db) == (1, 0)
        day = publication_day("2026-05-01T08:00:00+07:00")
        assert {row[0] for row in db.execute("SELECT day FROM neardup_bands")} == {day}
        save_articles(db, [dataclasses.replace(second, published="2026-05-02T08:00:00+07:00")])
        assert update_near_duplicates(db) == (1, 2)


def test_publication_days_count_from_2000_and_anything_else_is_undated():
    assert publication_day("2000-01-01T00:00:00+07:00") == 0
    assert publication_day("2000-01-31") == 30
    assert publication_day("1999-12-31T23:00:00+07:00") == -1  # a day like any other, not "undated"
    assert publication_day("2026-12-07T08:00:00+07:00") == 365 * 26 + 7 + 340  # 7 leap days to 2026, Dec 7th
    for value in (None, "", "garbage", "2026", "2026-11", "2026-02-30T00:00:00+07:00", b"2026-11-18"):
        assert publication_day(value) == UNDATED, value  # type: ignore[arg-type]
    assert publication_day("0001-01-01") - WINDOW_DAYS > UNDATED  # no window reaches it


def test_an_article_deleted_by_another_tool_is_no_candidate(tmp_path):
    """A user deletes a row of ``articles`` with sqlite3 or Datasette: its signature stays, and the next linking
    must neither crash on it nor link to it."""
    first, second, third = wire_editions("Mê Kông")
    unrelated = as_item(replica_articles("antv", 1)[0])
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, [first, second, unrelated])  # (the last id, which SQLite would give again)
        assert update_near_duplicates(db) == (3, 2)
        db.execute("DELETE FROM articles WHERE url = ?", [second.url])
        save_articles(db, [third])
        assert update_near_duplicates(db) == (1, 1)
        [members] = clusters(db)
        assert [member["url"] for member in members] == [first.url, third.url]


def editions_a_year_apart() -> list[Article]:
    """The three editions of a wire story, the last republished a year after the first two."""
    first, second, third = wire_editions("Mê Kông")
    return [
        dataclasses.replace(first, published="2025-03-01T08:00:00+07:00"),
        dataclasses.replace(second, published="2025-03-02T08:00:00+07:00"),
        dataclasses.replace(third, published="2026-03-01T08:00:00+07:00"),
    ]


def test_a_wider_window_relinks_a_stored_corpus_and_clusters_only_grow(tmp_path):
    editions = editions_a_year_apart()
    with open_database(tmp_path / "a.db") as db:
        save_articles(db, editions)
        update_near_duplicates(db)
        [members] = clusters(db)
        assert len(members) == 2  # the third is a year later
        assert relink_all(db) == 0  # the same window: nothing new
        assert relink_all(db, window_days=400) == 1
        [members] = clusters(db)
        assert sorted(member["url"] for member in members) == sorted(edition.url for edition in editions)


def test_dedupe_near_window_days_and_relink_on_the_command_line(tmp_path, capsys):
    from crawler.cli import main

    database = tmp_path / "a.db"
    with open_database(database) as db:
        save_articles(db, editions_a_year_apart())
    assert main(["dedupe-near", "--db", str(database), "--quiet"]) == 0
    assert "signed 3 articles, 2 joined a cluster; 1 clusters" in capsys.readouterr().out
    assert main(["dedupe-near", "--db", str(database), "--quiet", "--window-days", "400", "--relink"]) == 0
    assert "signed 0 articles, 1 joined a cluster; 1 clusters" in capsys.readouterr().out
    for bad in ("-3", "a year"):
        with pytest.raises(SystemExit) as exit_:
            main(["dedupe-near", "--db", str(database), "--window-days", bad])
        assert exit_.value.code == 2
        assert "not a number of days" in capsys.readouterr().err


@pytest.mark.parametrize(("setting", "clustered"), [(None, 2), (400, 3)])
def test_the_crawl_links_within_the_window_setting(tmp_path, setting, clustered):
    """Each outlet's spider closing links its articles, with ``NEAR_DUPLICATE_WINDOW_DAYS`` as the window."""
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from pipelines.neardup import NearDuplicatePipeline

    database = tmp_path / "a.db"
    editions = editions_a_year_apart()
    with open_database(database) as db:
        save_articles(db, editions)
    settings: dict[str, object] = {"DATABASE_PATH": str(database)}
    if setting is not None:
        settings["NEAR_DUPLICATE_WINDOW_DAYS"] = setting
    for outlet in sorted({edition.outlet for edition in editions}):
        spider = type(outlet, (Spider,), {"name": outlet})
        NearDuplicatePipeline.from_crawler(get_crawler(spider, settings_dict=settings)).spider_closed()
    with open_database(database) as db:
        assert sum(len(members) for members in clusters(db)) == clustered
