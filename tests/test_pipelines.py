"""The item pipelines, each on its own and in the order ITEM_PIPELINES runs them, with a test crawler."""

from __future__ import annotations

import sqlite3

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler import settings, stats_keys
from crawler.items import Article, Image, PageFailure
from crawler.storage import open_database
from pipelines.clean import CleanPipeline, clean_paragraphs
from pipelines.dedupe import DedupePipeline
from pipelines.store import SQLitePipeline


def article(**fields) -> Article:
    values = {
        "outlet": "antv",
        "url": "https://antv.gov.vn/chinh-tri-2/bai-viet-ABCDEF123.html",
        "native_id": "ABCDEF123",
        "title": "Bài viết",
        "lead": "(ANTV) - Mở đầu.",
        "body": "Thân bài.",
        "fetched_at": "2026-01-14T03:00:00+00:00",
    }
    return Article(**{**values, **fields})


@pytest.fixture
def crawler(tmp_path):
    return get_crawler(settings_dict={"DATABASE_PATH": str(tmp_path / "out" / "articles.db"), "STORE_BATCH_SIZE": 3})


def rows(crawler, table: str) -> list[dict]:
    with open_database(crawler.settings["DATABASE_PATH"]) as db:
        return list(db[table].rows)


def test_settings_wire_the_pipelines_in_order():
    pipelines = settings.ITEM_PIPELINES
    assert sorted(pipelines, key=pipelines.get) == [
        "pipelines.clean.CleanPipeline",
        "pipelines.dedupe.DedupePipeline",
        "pipelines.store.SQLitePipeline",
        "pipelines.neardup.NearDuplicatePipeline",
    ]


# --- clean ---------------------------------------------------------------------------------------------------------


def test_clean_normalises_every_text_field():
    dirty = article(
        title="  Ha\u0300 Nô\u0323i\u200b  hôm   nay ",
        lead="(ANTV) -  Mở\u00a0đầu\n",
        body="\n\n Đoạn   một\ncòn tiếp. \n \n\n\nĐoạn\thai.\n\n",
        author="  Hà   An ",
        category=" ",
        tags=[" Hà Nội ", "", "Hà Nội", "giao  thông"],
        images=[Image("https://antv.gov.vn/a.jpg", "  Ảnh\u200b "), Image("https://antv.gov.vn/b.jpg", "  ")],
    )
    clean = CleanPipeline().process_item(dirty)
    assert clean.title == "Hà Nội hôm nay"
    assert clean.lead == "(ANTV) - Mở đầu"
    assert clean.body == "Đoạn một còn tiếp.\n\nĐoạn hai."
    assert clean.author == "Hà An"
    assert clean.category is None
    assert clean.tags == ["Hà Nội", "giao thông"]
    assert clean.images == [Image("https://antv.gov.vn/a.jpg", "Ảnh"), Image("https://antv.gov.vn/b.jpg", None)]
    assert clean.url == dirty.url and clean.native_id == dirty.native_id and clean.fetched_at == dirty.fetched_at


def test_clean_paragraphs_keeps_blank_line_joins():
    assert clean_paragraphs("Một.\n\nHai.\n\nBa.") == "Một.\n\nHai.\n\nBa."
    assert clean_paragraphs(None) == ""


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"title": " \u200b "}, "empty_title"),
        ({"lead": "", "body": "\n\n  \n"}, "empty_text"),
    ],
)
def test_clean_turns_an_article_without_text_into_a_failure(fields, reason):
    empty = article(**fields)
    failure = CleanPipeline().process_item(empty)
    assert isinstance(failure, PageFailure)
    assert (failure.outlet, failure.url, failure.reason) == (empty.outlet, empty.url, reason)
    assert failure.detail and failure.fetched_at == empty.fetched_at


def test_clean_keeps_an_article_with_only_a_lead_or_only_a_body():
    assert isinstance(CleanPipeline().process_item(article(body="")), Article)
    assert isinstance(CleanPipeline().process_item(article(lead="")), Article)


def test_clean_passes_failures_through():
    failure = PageFailure("antv", "https://antv.gov.vn/x.html", "http_404", status=404)
    assert CleanPipeline().process_item(failure) is failure


# --- dedupe --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duplicate", "kind"),
    [
        ({"native_id": "ABCDEF999", "title": "Khác"}, "url"),
        ({"url": "https://antv.gov.vn/tin-tuc/chinh-tri/bai-viet-ABCDEF123.html", "title": "Khác"}, "native_id"),
        ({"url": "https://antv.gov.vn/xa-hoi-4/ban-sao-123456.html", "native_id": "123456"}, "text_hash"),
    ],
)
def test_dedupe_drops_what_this_crawl_has_seen(crawler, duplicate, kind):
    pipeline = DedupePipeline.from_crawler(crawler)
    first = article()
    assert pipeline.process_item(first) is first
    with pytest.raises(DropItem, match=first.url) as dropped:
        pipeline.process_item(article(**duplicate))
    assert dropped.value.log_level == "INFO"
    assert crawler.stats.get_value(stats_keys.dedupe(kind)) == 1


def test_dedupe_lets_distinct_articles_and_failures_through(crawler):
    pipeline = DedupePipeline.from_crawler(crawler)
    other = article(url="https://antv.gov.vn/xa-hoi-4/khac-ABCDEF999.html", native_id="ABCDEF999", title="Khác")
    failure = PageFailure("antv", article().url, "timeout")
    for item in (article(), other, failure, failure):
        assert pipeline.process_item(item) is item


def test_dedupe_native_ids_belong_to_their_outlet(crawler):
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.process_item(article(native_id="123456"))
    other_outlet = article(outlet="tgvn", url="https://baoquocte.vn/bai-123456.html", native_id="123456", title="Khác")
    assert pipeline.process_item(other_outlet) is other_outlet


# --- store ---------------------------------------------------------------------------------------------------------


def numbered(n: int) -> Article:
    return article(url=f"https://antv.gov.vn/chinh-tri-2/bai-{n}-{n:06d}.html", native_id=f"{n:06d}", title=f"Bài {n}")


def test_store_writes_in_batches_and_flushes_on_close(crawler):
    store = SQLitePipeline.from_crawler(crawler)
    store.open_spider()
    for n in range(2):
        store.process_item(numbered(n))
    assert rows(crawler, "articles") == [], "below the batch size nothing is written yet"
    store.process_item(numbered(2))
    assert len(rows(crawler, "articles")) == 3, "a full batch is written at once"
    store.process_item(numbered(3))
    store.process_item(PageFailure("antv", "https://antv.gov.vn/radio/x.html", "not_article", status=200))
    store.close_spider()
    assert len(rows(crawler, "articles")) == 4
    assert [row["reason"] for row in rows(crawler, "failures")] == ["not_article"]
    stats = crawler.stats.get_stats()
    assert stats[stats_keys.ARTICLES_NEW] == 4
    assert stats[stats_keys.failures("not_article")] == 1
    assert stats.get(stats_keys.ARTICLES_DUPLICATE, 0) == 0


def test_store_counts_articles_already_in_the_database(crawler):
    for _ in range(2):
        store = SQLitePipeline.from_crawler(crawler)
        store.open_spider()
        store.process_item(numbered(1))
        store.close_spider()
    assert len(rows(crawler, "articles")) == 1
    assert crawler.stats.get_value(stats_keys.ARTICLES_NEW) == 1
    assert crawler.stats.get_value(stats_keys.ARTICLES_DUPLICATE) == 1


def test_store_counts_a_failed_write_and_keeps_the_batch(crawler):
    store = SQLitePipeline.from_crawler(crawler)
    store.open_spider()
    store.process_item(article(extraction=None))  # NOT NULL: the batch cannot be written
    with pytest.raises(sqlite3.IntegrityError):
        store.flush()
    assert crawler.stats.get_value(stats_keys.STORAGE_WRITE_ERRORS) == 1
    assert len(store.articles) == 1
    store.articles[0].extraction = "outlet"
    store.close_spider()
    assert len(rows(crawler, "articles")) == 1


def test_store_passes_items_through(crawler):
    store = SQLitePipeline.from_crawler(crawler)
    store.open_spider()
    item = numbered(1)
    assert store.process_item(item) is item
    assert store.process_item({"other": "item"}) == {"other": "item"}
    store.close_spider()


# --- the chain -----------------------------------------------------------------------------------------------------


def test_the_chain_cleans_deduplicates_and_stores(crawler):
    chain = [CleanPipeline(), DedupePipeline.from_crawler(crawler), SQLitePipeline.from_crawler(crawler)]
    chain[2].open_spider()
    items = [
        article(title=" Bài   viết "),
        article(url="https://antv.gov.vn/tin-tuc/chinh-tri/bai-viet-ABCDEF123.html"),  # same native id
        article(url="https://antv.gov.vn/xa-hoi-4/rong-ABCDEF456.html", native_id="ABCDEF456", lead="", body=" "),
        numbered(7),
    ]
    for item in items:
        try:
            for pipeline in chain:
                item = pipeline.process_item(item)
        except DropItem:
            pass
    chain[2].close_spider()
    assert [row["title"] for row in rows(crawler, "articles")] == ["Bài viết", "Bài 7"]
    assert [(row["url"], row["reason"]) for row in rows(crawler, "failures")] == [
        ("https://antv.gov.vn/xa-hoi-4/rong-ABCDEF456.html", "empty_text")
    ]
    stats = crawler.stats.get_stats()
    assert (
        stats[stats_keys.ARTICLES_NEW],
        stats[stats_keys.dedupe("native_id")],
        stats[stats_keys.failures("empty_text")],
    ) == (2, 1, 1)
