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
    OptimizationRule,
    Page,
    Pagination,
    ParsedFile,
    TimeItem,
)
from bulkops.platforms.smartyads.client._resources import LIST_PAGE_SIZE

__all__ = ["DEFAULT_RATE_LIMIT", "LIST_PAGE_SIZE", "LOGIN_RATE_LIMIT", "Campaign", "Creative", "Deal", "FilterList",
           "GeoCircle", "GeoZip", "Media", "OptimizationRule", "Page", "Pagination", "ParsedFile", "RequestStats",
           "SmartyAdsClient", "TimeItem"]
