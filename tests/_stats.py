"""Sandboxes holding campaigns with creatives, for the statistics tests (written straight into the
sandbox's store: the statistics are what is tested, not how the objects got there)."""

from __future__ import annotations

from bulkops.platforms.iqm.sandbox._creatives import CREATIVE as IQM_CREATIVE
from bulkops.platforms.iqm.sandbox._http import IQM_OW_ID
from bulkops.platforms.smartyads.sandbox._creatives import CAMPAIGN_CREATIVES
from bulkops.platforms.smartyads.sandbox._creatives import CREATIVE as SMARTYADS_CREATIVE
from bulkops.sandbox import CAMPAIGN, SANDBOX_USER_ID, SandboxServer


def stock_smartyads(server: SandboxServer, campaigns: int, creatives_each: int, *, name: str = "UA | Camp") -> None:
    store, owner = server.sandbox.store, str(SANDBOX_USER_ID)
    for _ in range(campaigns):
        campaign = store.create(CAMPAIGN, owner, lambda i: {"id": i, "name": f"{name} #{i}"})
        ids = [store.create(SMARTYADS_CREATIVE, owner, lambda i: {"id": i, "name": f"CR | Video #{i}"})["id"]
               for _ in range(creatives_each)]
        store.set(CAMPAIGN_CREATIVES, campaign["id"], owner, {"ids": ids})


def stock_iqm(server: SandboxServer, campaigns: int, creatives_each: int, *, name: str = "Camp") -> None:
    store, owner = server.sandbox.store, str(IQM_OW_ID)
    for _ in range(campaigns):
        ids = [store.create(IQM_CREATIVE, owner, lambda i: {"creativeId": i, "creativeName": f"Banner {i}"})
               ["creativeId"] for _ in range(creatives_each)]
        named = ",".join(map(str, ids))
        store.create(CAMPAIGN, owner, lambda i, named=named: {"id": i, "campaignName": f"{name} {i}",
                                                              "creativeIds": named})
