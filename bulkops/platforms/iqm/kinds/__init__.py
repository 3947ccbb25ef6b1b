"""IQM kinds, from the platform's quick start (`iqm-api.md`): campaigns, creatives, and the
targeting sheets folded into each campaign's create request."""

from __future__ import annotations

from bulkops.kinds import Kind
from bulkops.platforms.iqm.kinds._campaigns import (
    ASKABLE_STATUSES,
    CAMPAIGNS,
    CARRIERS,
    COUNTRIES,
    CREATIVE_TYPES,
    DAYS,
    DEVICE_TYPES,
    EXCHANGES,
    ID_STRING_FIELDS,
    OPERATING_SYSTEMS,
    STATES,
    zone_of,
)
from bulkops.platforms.iqm.kinds._creatives import CREATIVE_TYPE_OF, CREATIVES
from bulkops.platforms.iqm.kinds._targeting import DEALS, FILTER_LISTS, FILTER_TYPES, GEO_GPS, GEO_ZIP

# In the order of the workbook's sheets. IQM has no Filter List Items: its filter lists are items of
# the campaign itself, so the Filter Lists sheet holds one item per row.
KINDS: tuple[Kind, ...] = (CAMPAIGNS, CREATIVES, GEO_ZIP, GEO_GPS, DEALS, FILTER_LISTS)

__all__ = [
    "ASKABLE_STATUSES",
    "CAMPAIGNS", "CARRIERS", "COUNTRIES", "CREATIVES", "CREATIVE_TYPES", "CREATIVE_TYPE_OF", "DAYS", "DEALS",
    "DEVICE_TYPES", "EXCHANGES", "FILTER_LISTS", "FILTER_TYPES", "GEO_GPS", "GEO_ZIP", "ID_STRING_FIELDS", "KINDS",
    "OPERATING_SYSTEMS", "STATES", "zone_of"
]
