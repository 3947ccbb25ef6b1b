"""IQM kinds, from the platform's quick start (`iqm-api.md`): campaigns, creatives, and the
targeting sheets folded into each campaign's create request."""

from __future__ import annotations

from bulkops.kinds._declare import Kind
from bulkops.kinds._iqm_campaigns import CAMPAIGNS
from bulkops.kinds._iqm_creatives import CREATIVES
from bulkops.kinds._iqm_targeting import DEALS, FILTER_LISTS, GEO_GPS, GEO_ZIP

# In the order of the workbook's sheets. IQM has no Filter List Items: its filter lists are items of
# the campaign itself, so the Filter Lists sheet holds one item per row.
KINDS: tuple[Kind, ...] = (CAMPAIGNS, CREATIVES, GEO_ZIP, GEO_GPS, DEALS, FILTER_LISTS)

__all__ = ["CAMPAIGNS", "CREATIVES", "DEALS", "FILTER_LISTS", "GEO_GPS", "GEO_ZIP", "KINDS"]
