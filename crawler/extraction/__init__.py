"""Article extraction: ``extract(html, url, outlet) -> Article``, a pure function (no Scrapy, no database).

Modules: :mod:`core` (the two paths), :mod:`fields` (one function per field), :mod:`dates`, :mod:`authors`,
:mod:`images`, :mod:`text`, :mod:`noise` (the shared generic helpers), :mod:`html` (decoding, parsing,
metadata), :mod:`registry` (outlet of a URL).
"""

from crawler.extraction.core import EXTRACTOR_VERSION, NotAnArticle, extract
from crawler.extraction.registry import all_outlets, outlet_by_name, outlet_for_url

__all__ = ["EXTRACTOR_VERSION", "NotAnArticle", "all_outlets", "extract", "outlet_by_name", "outlet_for_url"]
