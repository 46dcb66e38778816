"""The spiders: one per outlet of the registry (:mod:`crawler.outlets`), created here, so ``scrapy list`` shows
every registered outlet and an outlet added to the registry needs no spider file of its own.

Every spider is an :class:`crawler.spider.OutletSpider` driven entirely by its outlet's declarative unit; an outlet
that needs code of its own gets a module here with a subclass named after the outlet (Scrapy loads it; a later
definition with the same spider name would shadow this one, so leave that outlet out of the loop then).
"""

from crawler import outlets
from crawler.spider import OutletSpider

for _outlet in outlets.registry():
    _spider = OutletSpider.spider_for(_outlet, __name__)
    globals()[_spider.__name__] = _spider
del _outlet, _spider
