"""IQM: a typed async API client, usable without any spreadsheet."""

from bulkops.iqm._client import (
    DEFAULT_BASE_URL,
    DEFAULT_RATE_LIMIT,
    FILE_LIMITS,
    PAGE_SIZE,
    STATUS_BATCH,
    IQMClient,
    RequestStats,
)
from bulkops.iqm._models import (
    Campaign,
    CampaignCreated,
    CampaignPage,
    CampaignSummary,
    Creative,
    CreativeDetails,
    CreativePage,
    CreativeType,
    TimeZone,
    UploadedCreatives,
)

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_RATE_LIMIT", "FILE_LIMITS", "PAGE_SIZE", "STATUS_BATCH", "Campaign",
           "CampaignCreated", "CampaignPage", "CampaignSummary", "Creative", "CreativeDetails", "CreativePage",
           "CreativeType", "IQMClient", "RequestStats", "TimeZone", "UploadedCreatives"]
