"""The SmartyAds DSP API as documented (smartyads-dsp-api.txt): "1. Authorization" and "11. Campaigns".

Where the document is silent the sandbox answers as the Laravel application the platform is (see
docs/sandbox.md): 422 {"message", "errors"}, 401 {"message": "Unauthenticated."}, 429
{"message": "Too Many Attempts."} with Retry-After, 404 for a missing model.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bulkops.platforms.smartyads.sandbox import _laravel as say
from bulkops.platforms.smartyads.sandbox._audiences import assigned as audiences_assigned
from bulkops.platforms.smartyads.sandbox._audiences import audience_routes, seed_audiences
from bulkops.platforms.smartyads.sandbox._contextual import contextual_routes, mapped, seed_contextual
from bulkops.platforms.smartyads.sandbox._creatives import CREATIVE, creative_routes
from bulkops.platforms.smartyads.sandbox._creatives import assigned_ids as creatives_assigned
from bulkops.platforms.smartyads.sandbox._filterlists import assigned_ids as filter_lists_assigned
from bulkops.platforms.smartyads.sandbox._filterlists import filter_list_routes, stored_lists
from bulkops.platforms.smartyads.sandbox._geo import geo_routes
from bulkops.platforms.smartyads.sandbox._http import authenticated, for_campaign, paginated, today
from bulkops.platforms.smartyads.sandbox._laravel import Errors
from bulkops.platforms.smartyads.sandbox._media import MEDIA
from bulkops.platforms.smartyads.sandbox._rules import CREATE_ANSWER_BLANKS, new_campaign, validate_campaign
from bulkops.platforms.smartyads.sandbox._settings import (
    BOOSTER,
    RULE_RELATION,
    device_vendors,
    held_device_vendors,
    held_hours,
    keep_device_vendors,
    settings_routes,
)
from bulkops.platforms.smartyads.sandbox._statistics import statistic_routes
from bulkops.platforms.smartyads.sandbox._targeting import CIRCLES, DEALS, ZIPS, stored_rows, targeting_routes
from bulkops.sandbox import (
    CAMPAIGN,
    SANDBOX_EMAIL,
    SANDBOX_PASSWORD,
    SANDBOX_USER_ID,
    Admission,
    GuardMiddleware,
    Sandbox,
    bearer,
    json_body,
    route,
    sandbox_of,
)

LOGIN_PATH = "/api/users/login"


class SmartyAdsSandbox(Sandbox):
    """The Sandbox with what SmartyAds stores besides campaigns, for tests and benchmarks to inspect."""

    def __init__(self, config: Any) -> None:
        super().__init__(config)
        # The built-in account's audiences and contextual targeting rules (buyers assign what they have).
        seed_audiences(self.store)
        seed_contextual(self.store)

    def creatives(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every user's creatives by id, exactly as GET api/creatives/{id} returns them."""
        return self.store.all(CREATIVE, include_deleted=include_deleted)

    def media(self) -> list[dict[str, Any]]:
        """Every user's uploaded media by id, as the upload answered them (17.1.5–17.3.5)."""
        return self.store.all(MEDIA)

    def campaign_creative_ids(self, campaign_id: int) -> list[int]:
        """The ids of the creatives assigned to a campaign, sorted (deleted creatives stay until replaced)."""
        return creatives_assigned(self.store, campaign_id)

    # Its lists, exactly as stored.
    def campaign_zips(self, campaign_id: int) -> list[dict[str, Any]]:
        """A campaign's ZIP targeting rows in stored order, as GET .../geo-targeting-zip-code pages them."""
        return stored_rows(self.store, ZIPS, campaign_id)

    def campaign_circles(self, campaign_id: int) -> list[dict[str, Any]]:
        """A campaign's GPS targeting rows in stored order, as GET .../geo-targeting pages them."""
        return stored_rows(self.store, CIRCLES, campaign_id)

    def campaign_deals(self, campaign_id: int) -> list[dict[str, Any]]:
        """A campaign's deal records, as GET .../deals-all returns them."""
        return stored_rows(self.store, DEALS, campaign_id)

    def filter_lists(self, include_deleted: bool = False) -> list[dict[str, Any]]:
        """Every user's filter lists by id, each as GET api/filterlist/{id} returns it (with items)."""
        return stored_lists(self.store, include_deleted=include_deleted)

    def campaign_filter_list_ids(self, campaign_id: int) -> list[int]:
        """The ids of the filter lists assigned to a campaign, sorted (deleted lists stay until replaced)."""
        return filter_lists_assigned(self.store, campaign_id)

    def campaign_audiences(self, campaign_id: int) -> list[dict[str, Any]]:
        """A campaign's audiences as stored: `{"type", "id"}` in first-assigned order."""
        return audiences_assigned(self.store, campaign_id)

    def campaign_contextual(self, campaign_id: int) -> list[int]:
        """The contextual targeting rule IDs mapped to a campaign, as GET .../contextual-targeting answers them."""
        return mapped(self.store, campaign_id)
    # Its one-value settings (2, 10, 24), as the GET routes answer them.
    def campaign_hours(self, campaign_id: int) -> list[dict[str, int]]:
        """A campaign's time targeting items (held in UTC), as GET .../time-targeting answers them."""
        return held_hours(self.store, campaign_id)

    def campaign_booster(self, campaign_id: int) -> bool:
        """Whether the campaign's CTR booster is on (10.1)."""
        return bool(self.store.get(BOOSTER, campaign_id))

    def campaign_rule_id(self, campaign_id: int) -> int | None:
        """The id of the optimization rule assigned to the campaign (24.1), None when none."""
        relation = self.store.get(RULE_RELATION, campaign_id)
        return relation["ruleId"] if relation else None

    def campaign_device_vendors(self, campaign_id: int) -> list[str]:
        """The device vendors a campaign was created with (no answer shows them)."""
        return held_device_vendors(self.store, campaign_id)



def create_app(config: Any) -> Starlette:
    """The app serving SmartyAds' API for `config` (`Platform.sandbox.app`)."""
    return build_app(SmartyAdsSandbox(config))


def build_app(sandbox: Sandbox) -> Starlette:
    routes = [
        route(LOGIN_PATH, POST=_login),
        route("/api/logout", POST=authenticated(_logout)),
        route("/api/campaigns", GET=authenticated(_list_campaigns), POST=authenticated(_create_campaign)),
        route("/api/campaigns/{id}", GET=for_campaign(_get_campaign), PATCH=for_campaign(_update_campaign),
              DELETE=for_campaign(_delete_campaign)),
        *targeting_routes(), *filter_list_routes(),
        *creative_routes(), *geo_routes(), *audience_routes(), *contextual_routes(), *settings_routes(),
        *statistic_routes(),  # 3. Statistic
    ]
    guard = Middleware(GuardMiddleware, traffic=sandbox.traffic, policy=SmartyAdsPolicy(sandbox))
    app = Starlette(routes=routes, middleware=[guard], exception_handlers={HTTPException: _http_error})
    app.state.sandbox = sandbox
    return app


class SmartyAdsPolicy:
    """Buckets as Laravel's throttle keys them: login by client address; the rest by the token's
    user, or by client address when there is no valid token."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    def admission(self, request: Request) -> Admission:
        address = request.client.host if request.client else "unknown"
        config = self.sandbox.config
        if request.url.path == LOGIN_PATH:
            return Admission(f"login:{address}", config.login_rate_limit, faultable=False, subject=None)
        subject = self._subject(request)
        key = f"user:{subject}" if subject else f"address:{address}"
        return Admission(key, config.rate_limit, faultable=True, subject=subject)

    def rate_headers(self, limit: int, remaining: int) -> dict[str, str]:
        # Spelled as in the document's answers.
        return {"X-ratelimit-limit": str(limit), "X-ratelimit-remaining": str(remaining),
                "Access-control-allow-origin": "*"}

    def too_many(self, retry_after: int) -> Response:
        return JSONResponse({"message": "Too Many Attempts."}, 429)

    def unavailable(self) -> Response:
        return JSONResponse({"message": "Service Unavailable"}, 503)

    def _subject(self, request: Request) -> str | None:
        token = bearer(request)
        claims = self.sandbox.tokens.claims(token) if token else None
        if claims is None or claims.get("sub") != str(SANDBOX_USER_ID):
            return None
        return str(claims["sub"])


async def _http_error(request: Request, exc: Exception) -> Response:
    """The router's own 404/405, in Laravel's words rather than Starlette's plain text."""
    assert isinstance(exc, HTTPException)
    route = request.url.path.lstrip("/")
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"The {request.method} method is not supported for route {route}. Supported methods: {allowed}."
    elif exc.status_code == 404:
        message = f"The route {route} could not be found."
    else:
        message = exc.detail
    return JSONResponse({"message": message}, exc.status_code, headers=exc.headers)


# --- 1. Authorization -------------------------------------------------------------------------------

async def _login(request: Request) -> Response:
    body = await json_body(request)
    data = body if isinstance(body, dict) else {}
    errors = Errors()
    for key in ("email", "password"):
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.add(key, say.required(key))
        elif not isinstance(value, str):
            errors.add(key, say.string(key))
        elif key == "email" and "@" not in value:
            errors.add(key, say.email(key))
    if errors:
        return errors.response()
    # Emails compare case-insensitively, as in MySQL's default collation.
    if data["email"].lower() != SANDBOX_EMAIL or data["password"] != SANDBOX_PASSWORD:
        return JSONResponse({"message": "Invalid credentials."}, 401)
    sandbox = sandbox_of(request)
    ttl = sandbox.config.token_ttl_s
    return JSONResponse({
        "access_token": sandbox.tokens.issue(SANDBOX_USER_ID, issuer=str(request.url)),
        "token_type": "bearer",
        # A string, as in the document's example; in seconds, as its response table says.
        "expires_in": str(int(ttl)) if float(ttl).is_integer() else str(ttl),
    })


async def _logout(request: Request, subject: str) -> Response:
    token = bearer(request)
    if token:
        sandbox_of(request).tokens.revoke(token)
    return JSONResponse({"message": "Successfully logged out"})


# --- 11. Campaigns ----------------------------------------------------------------------------------

async def _list_campaigns(request: Request, subject: str) -> Response:
    return paginated(request, CAMPAIGN, subject)


async def _get_campaign(request: Request, subject: str, object_id: int, found: dict[str, Any]) -> Response:
    return JSONResponse({"data": found})


async def _create_campaign(request: Request, subject: str) -> Response:
    body = await json_body(request)
    fields, errors = validate_campaign(body, partial=False)
    vendors = device_vendors(body, errors)
    if errors:
        return errors.response()
    now = today()
    stored = sandbox_of(request).store.create(
        CAMPAIGN, subject, lambda new_id: new_campaign(new_id, int(subject), fields, now))
    keep_device_vendors(sandbox_of(request).store, stored["id"], subject, vendors)
    # 11.3.5 answers the create of 11.3.2, which sent two IAB categories, excluded, with
    # `contentCategories: []` and `contentCategoriesIsInclude: null`: the answer does not show them,
    # though they are stored as sent (a GET or the list shows them).
    return JSONResponse({"data": {**stored, **CREATE_ANSWER_BLANKS}})


async def _update_campaign(request: Request, subject: str, object_id: int, found: dict[str, Any]) -> Response:
    fields, errors = validate_campaign(await json_body(request), partial=True)
    if errors:
        return errors.response()
    found.update(fields, updatedAt=today())
    sandbox_of(request).store.put(CAMPAIGN, object_id, found)
    return JSONResponse({"data": found})


async def _delete_campaign(request: Request, subject: str, object_id: int, found: dict[str, Any]) -> Response:
    now = today()
    found.update(deletedAt=now, updatedAt=now)  # a soft delete, as Laravel's SoftDeletes
    sandbox_of(request).store.put(CAMPAIGN, object_id, found, deleted=True)
    return JSONResponse({})
