"""The Sandbox object: one sandboxed platform's state, tokens, traffic shaping and request log."""

from __future__ import annotations

from typing import Any

from bulkops.sandbox._config import SandboxConfig
from bulkops.sandbox._limits import Faults, SlidingWindow, Traffic
from bulkops.sandbox._log import LoggedRequest, RequestLog
from bulkops.sandbox._store import Store
from bulkops.sandbox._tokens import Tokens

CAMPAIGN = "campaign"  # the store's kind for campaigns, on every platform


class Sandbox:
    """What tests and benchmarks inspect (`app.state.sandbox`, `SandboxServer.sandbox`). Thread-safe."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.store = Store(config.state_path)
        self.tokens = Tokens(config.token_ttl_s)
        self._log = RequestLog()
        self.traffic = Traffic(window=SlidingWindow(config.window_s), faults=Faults(config),
                               log=self._log, latency_s=config.latency_ms / 1000)

    @property
    def request_log(self) -> list[LoggedRequest]:
        """A snapshot, oldest first; every request answered, 401s and 429s included."""
        return self._log.snapshot()

    def reset_request_log(self) -> None:
        self._log.clear()

    def campaigns(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every user's stored campaigns by id, exactly as GET would return them."""
        return self.store.all(CAMPAIGN, include_deleted=include_deleted)

    def creatives(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every user's creatives by id, exactly as GET api/creatives/{id} returns them."""
        from bulkops.platforms.smartyads.sandbox._creatives import CREATIVE

        return self.store.all(CREATIVE, include_deleted=include_deleted)

    def media(self) -> list[dict[str, Any]]:
        """Every user's uploaded media by id, as the upload answered them (17.1.5–17.3.5)."""
        from bulkops.platforms.smartyads.sandbox._media import MEDIA

        return self.store.all(MEDIA)

    def campaign_creative_ids(self, campaign_id: int) -> list[int]:
        """The ids of the creatives assigned to a campaign, sorted (deleted creatives stay until replaced)."""
        from bulkops.platforms.smartyads.sandbox._creatives import assigned_ids

        return assigned_ids(self.store, campaign_id)

    # SmartyAds lists, exactly as stored (imported on use: the route modules import this one).
    def campaign_zips(self, campaign_id: int) -> list[dict[str, Any]]:
        """A campaign's ZIP targeting rows in stored order, as GET .../geo-targeting-zip-code pages them."""
        from bulkops.platforms.smartyads.sandbox._targeting import ZIPS, stored_rows

        return stored_rows(self.store, ZIPS, campaign_id)

    def campaign_circles(self, campaign_id: int) -> list[dict[str, Any]]:
        """A campaign's GPS targeting rows in stored order, as GET .../geo-targeting pages them."""
        from bulkops.platforms.smartyads.sandbox._targeting import CIRCLES, stored_rows

        return stored_rows(self.store, CIRCLES, campaign_id)

    def campaign_deals(self, campaign_id: int) -> list[dict[str, Any]]:
        """A campaign's deal records, as GET .../deals-all returns them."""
        from bulkops.platforms.smartyads.sandbox._targeting import DEALS, stored_rows

        return stored_rows(self.store, DEALS, campaign_id)

    def filter_lists(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every user's filter lists by id, each as GET api/filterlist/{id} returns it (with items)."""
        from bulkops.platforms.smartyads.sandbox._filterlists import stored_lists

        return stored_lists(self.store, include_deleted=include_deleted)

    def campaign_filter_list_ids(self, campaign_id: int) -> list[int]:
        """The ids of the filter lists assigned to a campaign, sorted (deleted lists stay until replaced)."""
        from bulkops.platforms.smartyads.sandbox._filterlists import assigned_ids

        return assigned_ids(self.store, campaign_id)

    def close(self) -> None:
        self.store.close()
