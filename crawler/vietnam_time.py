"""Vietnam's time: UTC+7, no daylight saving. The one definition, for extraction, spider arguments and replicas;
a module of its own so that importing it loads nothing else (the crawl command's parent process stays light)."""

from datetime import timedelta, timezone

VN_TZ = timezone(timedelta(hours=7))
