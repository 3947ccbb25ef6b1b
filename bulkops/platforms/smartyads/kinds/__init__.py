"""SmartyAds kinds, from the platform's API document (`smartyads-dsp-api.txt`)."""

from __future__ import annotations

from bulkops.kinds import Kind
from bulkops.platforms.smartyads.kinds._audiences import AUDIENCE_TYPES, AUDIENCES, CONTEXTUAL, named_id
from bulkops.platforms.smartyads.kinds._campaigns import CAMPAIGNS
from bulkops.platforms.smartyads.kinds._creatives import (
    CREATIVES,
    FORMAT_USES,
    FORMATS,
    IN_SECTION,
    MRAID,
    SECTIONS,
    SENT_AS_IS,
)
from bulkops.platforms.smartyads.kinds._filterlists import FILTER_LIST_ITEMS, FILTER_LISTS, item_problem
from bulkops.platforms.smartyads.kinds._settings import (
    NO_RULE,
    SETTING_FIELDS,
    is_always,
    is_default_setting,
    is_no_rule,
)
from bulkops.platforms.smartyads.kinds._targeting import DEALS, GEO_GPS, GEO_ZIP

# In the order of the workbook's sheets (the order of operations comes from references, not this).
KINDS: tuple[Kind, ...] = (CAMPAIGNS, CREATIVES, GEO_ZIP, GEO_GPS, DEALS, AUDIENCES, CONTEXTUAL, FILTER_LISTS,
                          FILTER_LIST_ITEMS)

__all__ = [
    "AUDIENCES", "AUDIENCE_TYPES", "CONTEXTUAL", "named_id",
    "CAMPAIGNS", "CREATIVES", "DEALS", "FILTER_LISTS", "FILTER_LIST_ITEMS", "FORMATS", "FORMAT_USES", "GEO_GPS",
    "GEO_ZIP", "IN_SECTION", "KINDS", "MRAID", "NO_RULE", "SECTIONS", "SENT_AS_IS", "SETTING_FIELDS", "is_always",
    "is_default_setting", "is_no_rule", "item_problem"
]
