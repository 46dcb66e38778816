"""One copy of jusText's all-languages stoplist per process, instead of two (about 20 MB less per spider).

trafilatura's last fallback (``trafilatura.external.try_justext``, reached by extraction on a few pages) classifies
paragraphs with jusText and, given no target language, the stop words of every language jusText knows: 154,484
words. It builds them as a tuple (``jt_stoplist_init``), and ``justext.core.classify_paragraphs`` turns that into a
frozenset of the lower-cased words on every call (``define_stoplist``, cached: a second copy of every word, kept for
the life of the process, and a hash of the 154,484-item tuple on every call). In a crawl that is 33 MB per spider
process, four spiders: 130 MB of the crawl's memory, more than anything else it holds beyond Scrapy's.

:func:`install` makes trafilatura build the stoplist once, as the frozenset ``define_stoplist`` would make of it
(jusText's stoplists are lower-cased already), and ``define_stoplist`` hand that one back as it is. The words a
paragraph is checked against are exactly the same, so extraction's output is unchanged
(tests/test_justext_stoplist.py); only the copies go. Installed by the spider (crawler/spider.py), whose processes
each extract thousands of pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_shared: frozenset[str] | None = None
"""The all-languages stoplist once built: what both trafilatura and jusText read."""


def all_languages_stoplist() -> frozenset[str]:
    """Every word of every jusText stoplist (lower-cased by jusText), built on first use."""
    global _shared
    if _shared is None:
        import trafilatura.external
        from justext.utils import get_stoplist, get_stoplists

        _shared = frozenset(word for language in get_stoplists() for word in get_stoplist(language))
        trafilatura.external.JT_STOPLIST = _shared  # type: ignore[assignment]  # trafilatura only iterates it
    return _shared


def _shared_or(define_stoplist: Callable[[Iterable[str]], frozenset[str]]) -> Callable[[Iterable[str]], frozenset[str]]:
    def define(stoplist: Iterable[str]) -> frozenset[str]:
        # Lower-casing the shared set again would give an equal set: return it, not a copy of every word.
        return stoplist if stoplist is _shared else define_stoplist(stoplist)

    define.shares_stoplist = True  # type: ignore[attr-defined]  # installed: not to be wrapped twice
    # trafilatura.meta.reset_caches() clears jusText's cache: the wrapper answers the same call.
    define.cache_clear = define_stoplist.cache_clear  # type: ignore[attr-defined]
    return define


def install() -> None:
    """Point trafilatura's and jusText's stoplist functions at :func:`all_languages_stoplist` (idempotent)."""
    import justext.core
    import trafilatura.external

    if not getattr(justext.core.define_stoplist, "shares_stoplist", False):
        justext.core.define_stoplist = _shared_or(justext.core.define_stoplist)
    trafilatura.external.jt_stoplist_init = all_languages_stoplist  # type: ignore[assignment]
