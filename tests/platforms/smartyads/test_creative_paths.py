"""A creative's fields are declared once by API path: the payload puts each where its path says, for
every format, and what was sent reads back (through the same paths) as the row's values."""

from __future__ import annotations

import pytest

from bulkops.kinds import path_keys
from bulkops.platforms.smartyads._export import sent_values
from bulkops.platforms.smartyads.kinds._creatives import FORMAT_USES, FORMATS, IN_SECTION, SENT_AS_IS, creative_payload

ROW = {"name": "Spring", "bidPrice": 1.5, "isActive": True, "frequency": True, "frequencyType": "user",
       "frequencyCap": 3, "frequencyPeriod": 1, "width": 300, "height": 250, "clickUrl": "https://shop.example.com",
       "admBody": "<script></script>", "mimeType": ["video/mp4"], "apiFramework": "mraid2", "assetTitle": "Sale",
       "assetDataDesc": "Half off", "assetDataSponsored": "Shop", "assetCtaText": "Buy", "displayUrl": "https://e.com",
       "mediaFile": 7, "logoFile": 8, "categories": ["IAB1"], "folderId": "spring-2027"}
# Fields only some formats carry, wherever their path puts them (a native's top-level folderId).
ONLY_SOME = frozenset().union(*FORMAT_USES.values())


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_each_field_goes_where_its_path_says(format_name):
    payload = creative_payload({**ROW, "format": format_name})
    slots = {"section": FORMATS[format_name].section}
    for column in SENT_AS_IS:
        if column in IN_SECTION and column.field not in FORMAT_USES[format_name]:
            assert column.field not in payload[FORMATS[format_name].section]
            continue
        if column.field in ONLY_SOME and column.field not in FORMAT_USES[format_name]:
            assert column.field not in payload
            continue
        *parents, last = path_keys(column, slots)
        at = payload
        for key in parents:
            at = at[key]
        assert last in at


@pytest.mark.parametrize("format_name", list(FORMATS))
def test_what_was_sent_reads_back_as_the_row(format_name):
    sent = sent_values("creatives", creative_payload({**ROW, "format": format_name}))
    expected = {c.field: ROW[c.field] for c in SENT_AS_IS
                if (c not in IN_SECTION and c.field not in ONLY_SOME) or c.field in FORMAT_USES[format_name]}
    assert sent == expected
