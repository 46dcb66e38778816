"""jusText's all-languages stoplist shared by trafilatura and jusText (crawler/justext_stoplist.py): the same words,
one copy."""

from __future__ import annotations

import justext.core
import lxml.html
import trafilatura.external
from justext.utils import get_stoplist, get_stoplists

from crawler import justext_stoplist


def test_the_shared_stoplist_holds_the_words_trafilatura_and_justext_would_check() -> None:
    justext_stoplist.install()
    # What the libraries do on their own: trafilatura's tuple of every language's words, lower-cased by jusText.
    original = frozenset(word.lower() for word in {w for language in get_stoplists() for w in get_stoplist(language)})
    shared = justext_stoplist.all_languages_stoplist()
    assert shared == original
    assert trafilatura.external.JT_STOPLIST is shared
    assert justext.core.define_stoplist(shared) is shared  # no second copy
    assert justext.core.define_stoplist(("Và", "THE")) == frozenset({"và", "the"})  # other stoplists as before


def test_install_is_idempotent_and_justext_classifies_with_the_shared_words() -> None:
    justext_stoplist.install()
    installed = justext.core.define_stoplist
    justext_stoplist.install()
    assert justext.core.define_stoplist is installed
    justext.core.define_stoplist.cache_clear()  # as trafilatura.meta.reset_caches() does
    page = lxml.html.fromstring(
        "<html><body><div><p>"
        + "The committee said that it would not be able to meet before the end of the month. " * 3
        + "</p><p>Home | Contact | Login</p></div></body></html>"
    )
    body = trafilatura.external.try_justext(page, None, None)
    assert [p.text for p in body] == [
        ("The committee said that it would not be able to meet before the end of the month. " * 3).strip()
    ]
