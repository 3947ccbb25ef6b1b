"""SmartyAds DSP: a typed async API client, usable without any spreadsheet."""

from bulkops.platforms.smartyads.client._client import (
    DEFAULT_RATE_LIMIT,
    LOGIN_RATE_LIMIT,
    RequestStats,
    SmartyAdsClient,
)
from bulkops.platforms.smartyads.client._models import (
    Campaign,
    Creative,
    Deal,
    FilterList,
    GeoCircle,
    GeoZip,
    Media,
    Page,
    Pagination,
    ParsedFile,
)
from bulkops.platforms.smartyads.client._resources import LIST_PAGE_SIZE
from bulkops.platforms.smartyads.client._statistics import ROWS_ON_PAGE_MAX, StatisticPage

__all__ = ["DEFAULT_RATE_LIMIT", "LIST_PAGE_SIZE", "LOGIN_RATE_LIMIT", "Campaign", "Creative", "Deal", "FilterList",
           "GeoCircle", "GeoZip", "Media", "Page", "Pagination", "ParsedFile", "RequestStats", "SmartyAdsClient"]
__all__ += ["ROWS_ON_PAGE_MAX", "StatisticPage"]
