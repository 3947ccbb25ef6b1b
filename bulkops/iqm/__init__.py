"""IQM: a typed async API client, usable without any spreadsheet."""

from bulkops.iqm._client import (
    DEFAULT_BASE_URL,
    DEFAULT_RATE_LIMIT,
    FILE_LIMITS,
    STATUS_BATCH,
    IQMClient,
    RequestStats,
)
from bulkops.iqm._models import Campaign, CampaignCreated, CreativeDetails, CreativeType, UploadedCreatives

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_RATE_LIMIT", "FILE_LIMITS", "STATUS_BATCH", "Campaign", "CampaignCreated",
           "CreativeDetails", "CreativeType", "IQMClient", "RequestStats", "UploadedCreatives"]
