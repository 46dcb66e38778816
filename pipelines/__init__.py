"""Item pipelines, one job each, wired in order through ``ITEM_PIPELINES`` (crawler/settings.py):

1. :class:`pipelines.clean.CleanPipeline` normalises the text and turns an article without text into a failure;
2. :class:`pipelines.dedupe.DedupePipeline` drops what this crawl has already seen;
3. :class:`pipelines.store.SQLitePipeline` writes articles, failures and their raw pages to SQLite in batches, one
   transaction per batch (its frame, buffering and flushing: :mod:`pipelines.batched`);
4. :class:`pipelines.neardup.NearDuplicatePipeline` links the stored articles to their near-duplicates after each
   stored batch and when the spider closes (``NEAR_DUPLICATES``).

In the distributed mode (``REDIS_URL``, :mod:`crawler.distributed`), :class:`pipelines.redis_queue.RedisQueuePipeline`
takes the store's place (it queues the items for the one writer) and the near-duplicate pipeline is off.

Pipelines never parse HTML: extraction has already happened in the spider.
"""
