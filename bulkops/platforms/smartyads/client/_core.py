"""What `SmartyAdsClient` gives the mixins that hold its routes (`_resources`, `_audiences`,
`_settings`, `_geo`): its calls, pages and answer readers, declared once for type checkers. At run
time `ClientCore` is `object`; the methods are the client's own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

M = TypeVar("M", bound=pydantic.BaseModel)

if TYPE_CHECKING:
    import httpx

    from bulkops.platforms.smartyads.client._models import Page

    class ClientCore:
        async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response: ...
        async def _page(self, path: str, model: type[M], page: int, per_page: int) -> Page[M]: ...
        def _each(self, path: str, model: type[M], per_page: int) -> AsyncIterator[M]: ...
        async def _every_page(self, path: str, model: type[M], per_page: int) -> list[M]: ...
        def _one_of(self, response: httpx.Response, model: type[M]) -> M: ...
        def _many_of(self, response: httpx.Response, model: type[M]) -> list[M]: ...
        def _read(self, response: httpx.Response, *, maybe_done: bool | None = None) -> Any: ...
        def _unusable(self, response: httpx.Response, why: Exception, *,
                      maybe_done: bool | None = None) -> Exception: ...
        async def _write(self, method: str, path: str, body: dict[str, Any], *, replayable: bool) -> None: ...
else:
    ClientCore = object

__all__ = ["ClientCore"]
