"""SmartyAds DSP: a typed async API client, usable without any spreadsheet."""

from bulkops.smartyads._client import DEFAULT_RATE_LIMIT, LOGIN_RATE_LIMIT, RequestStats, SmartyAdsClient
from bulkops.smartyads._models import Campaign, Page, Pagination

__all__ = ["DEFAULT_RATE_LIMIT", "LOGIN_RATE_LIMIT", "Campaign", "Page", "Pagination", "RequestStats",
           "SmartyAdsClient"]
