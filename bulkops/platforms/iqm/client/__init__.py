"""IQM: a typed async API client, usable without any spreadsheet."""

from bulkops.platforms.iqm.client._campaign_writes import LIST_PAGE, UPDATE_FIELDS
from bulkops.platforms.iqm.client._client import (
    DEFAULT_BASE_URL,
    DEFAULT_RATE_LIMIT,
    ENV_VARS,
    FILE_LIMITS,
    PAGE_SIZE,
    STATUS_BATCH,
    IQMClient,
    RequestStats,
)
from bulkops.platforms.iqm.client._creatives import CREATIVE_TYPE_IDS, NewCreative
from bulkops.platforms.iqm.client._models import (
    AddedCreative,
    BudgetUpdate,
    Campaign,
    CampaignCreated,
    CampaignPage,
    CampaignSummary,
    Creative,
    CreativeDetails,
    CreativePage,
    CreativeType,
    ListedCampaign,
    TimeZone,
    UploadedCreatives,
)
from bulkops.platforms.iqm.client._reports import REPORT_PAGE_ROWS, ReportPage

__all__ = [
    "CREATIVE_TYPE_IDS", "DEFAULT_BASE_URL", "DEFAULT_RATE_LIMIT", "ENV_VARS", "FILE_LIMITS", "LIST_PAGE",
    "PAGE_SIZE", "STATUS_BATCH", "UPDATE_FIELDS", "AddedCreative", "BudgetUpdate", "Campaign", "CampaignCreated",
    "CampaignPage", "CampaignSummary", "Creative", "CreativeDetails", "CreativePage", "CreativeType", "IQMClient",
    "ListedCampaign", "NewCreative", "RequestStats", "TimeZone", "UploadedCreatives"
]
__all__ += ["REPORT_PAGE_ROWS", "ReportPage"]
