"""Item pipelines, one job each, wired in order through ``ITEM_PIPELINES`` (crawler/settings.py):

1. :class:`pipelines.clean.CleanPipeline` normalises the text and turns an article without text into a failure;
2. :class:`pipelines.dedupe.DedupePipeline` drops what this crawl has already seen;
3. :class:`pipelines.store.SQLitePipeline` writes articles, failures and their raw pages to SQLite in batches, one
   transaction per batch.

Pipelines never parse HTML: extraction has already happened in the spider.
"""
