"""IQM's verbs for the run, with fake clients in memory: folding targeting items into campaign fields,
comparing a row's values with a live campaign's, the creative upload, the review polling and the
creative type IDs."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bulkops._exceptions import PlatformError
from bulkops.platforms.iqm._verbs import (
    FIRST_POLL_S,
    LONGEST_POLL_S,
    IqmVerbs,
    Review,
    Uploaded,
    comparable,
    fold,
    holds,
)
from bulkops.platforms.iqm.client import AddedCreative, NewCreative
from tests._fakes import FakeTime
from tests._media import png

# --- fold ------------------------------------------------------------------------------------------------------


def item(field: str, value: Any) -> dict[str, Any]:
    return {"field": field, "value": value}


CIRCLE = {"unit": "mile", "address": "", "latitude": 42.35, "longitude": -71.13, "radius": 1.5, "type": "circle"}
OTHER_CIRCLE = {**CIRCLE, "latitude": 40.0, "sid": "444"}


def test_fold_joins_each_fields_values_with_commas_in_the_order_given():
    folded = fold([item("whiteListedZipcodes", "02135"), item("blackListedIp", "10.0.0.1"),
                   item("whiteListedZipcodes", "02134"), item("blackListedIp", "10.0.0.2")])
    assert folded == {"whiteListedZipcodes": "02135,02134", "blackListedIp": "10.0.0.1,10.0.0.2"}


def test_fold_keeps_each_value_once():
    folded = fold([item("userDealId", "5012"), item("userDealId", "5013"), item("userDealId", "5012")])
    assert folded == {"userDealId": "5012,5013"}


def test_fold_writes_numbers_as_text():
    assert fold([item("whiteListedInventoryGroupIds", 42), item("whiteListedInventoryGroupIds", 7)]) == {
        "whiteListedInventoryGroupIds": "42,7"}


def test_fold_writes_circles_as_a_json_array():
    folded = fold([item("whiteListedGeoRadiusDetails", CIRCLE), item("whiteListedGeoRadiusDetails", OTHER_CIRCLE),
                   item("whiteListedGeoRadiusDetails", dict(CIRCLE)), item("blackListedGeoRadiusDetails", CIRCLE)])
    assert set(folded) == {"whiteListedGeoRadiusDetails", "blackListedGeoRadiusDetails"}
    assert isinstance(folded["whiteListedGeoRadiusDetails"], str)
    assert json.loads(folded["whiteListedGeoRadiusDetails"]) == [CIRCLE, OTHER_CIRCLE]
    assert json.loads(folded["blackListedGeoRadiusDetails"]) == [CIRCLE]


def test_fold_of_nothing_is_nothing():
    assert fold([]) == {}


# --- comparable ------------------------------------------------------------------------------------------------

def same(field: str, one: Any, other: Any) -> bool:
    return comparable(field, one) == comparable(field, other)


def test_comma_lists_compare_as_sets():
    assert same("deviceType", "13,15,11", "11, 13,15")
    assert same("creativeIds", "148971,148972", "148972,148971,148971")
    assert same("exchanges", "55,61", "61,55,")
    assert not same("deviceType", "13,15", "13")


def test_numbers_compare_by_value_whatever_their_type():
    assert same("maxBid", 10.0, 10) and same("timezone", 433, 433.0) and not same("maxBid", 10, 12.5)


def test_blank_and_missing_are_the_same_and_an_empty_array_is_blank():
    assert same("exchanges", "", None) and same("prebidAudienceSegmentIdList", [], None)
    assert not same("exchanges", "55", "")


def test_an_array_of_ids_compares_as_a_set():
    assert same("prebidAudienceSegmentIdList", [101, 102], [102, 101])


def test_free_text_is_not_compared_as_a_comma_list():
    assert not same("campaignName", "Spring, Sale", "Sale, Spring")


def test_circles_compare_by_latitude_longitude_and_radius():
    wanted = fold([item("whiteListedGeoRadiusDetails", CIRCLE)])["whiteListedGeoRadiusDetails"]
    live_same = [{"latitude": 42.35, "longitude": -71.13, "radius": 1.5, "address": "elsewhere", "id": 9}]
    assert same("whiteListedGeoRadiusDetails", wanted, live_same)
    assert same("whiteListedGeoRadiusDetails", wanted, json.dumps(live_same))
    assert not same("whiteListedGeoRadiusDetails", wanted, [{"latitude": 42.35, "longitude": -71.13, "radius": 2.0}])


def test_a_value_iqm_answers_as_a_bare_number_is_the_same_id():
    assert same("userDealId", "5012", 5012)


# --- holds -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("live,expected", [
    ({"whiteListedZipcodes": "02134,02135"}, True),
    ({"whiteListedZipcodes": "02135, 02134"}, True),
    ({"whiteListedZipcodes": "02135"}, False),
    ({"whiteListedZipcodes": ""}, False),
    ({"whiteListedZipcodes": None}, False),
    ({"blackListedZipcodes": "02134"}, False),  # blocked is not allowed
    ({}, False),
])
def test_holds_a_zip(live, expected):
    assert holds(live, item("whiteListedZipcodes", "02134")) is expected


def test_holds_a_value_iqm_answers_as_a_bare_number():
    assert holds({"whiteListedInventoryGroupIds": 42}, item("whiteListedInventoryGroupIds", "42"))
    assert not holds({"whiteListedInventoryGroupIds": 41}, item("whiteListedInventoryGroupIds", "42"))


def test_holds_a_deal_given_as_a_number():
    assert holds({"userDealId": "5012,6000"}, item("userDealId", 5012))
    assert not holds({"userDealId": "6000"}, item("userDealId", 5012))


def test_holds_a_circle_by_its_centre_and_radius():
    circle = item("whiteListedGeoRadiusDetails", CIRCLE)
    live = [{"latitude": 40.0, "longitude": 1.0, "radius": 3}, {**CIRCLE, "address": "1 Main St"}]
    assert holds({"whiteListedGeoRadiusDetails": json.dumps(live)}, circle)
    assert holds({"whiteListedGeoRadiusDetails": live}, circle)
    assert not holds({"whiteListedGeoRadiusDetails": [{**CIRCLE, "radius": 1.0}]}, circle)
    assert not holds({"whiteListedGeoRadiusDetails": "[]"}, circle)


# --- review ----------------------------------------------------------------------------------------------------

@dataclass
class Details:
    """The part of IQM's creative details the review reads."""

    creativeId: int
    status: str | None = None
    rejectionReason: str | None = None
    remarks: str | None = None


class StatusClient:
    """Answers `creative_statuses` from a script: one {id: status or Details} per poll (the last one repeats).
    An id missing from the answer is one IQM does not know."""

    def __init__(self, *polls: Mapping[int, str | Details | None], status_batch_size: int = 200) -> None:
        self.polls = polls
        self.status_batch_size = status_batch_size
        self.asked: list[list[int]] = []

    async def creative_statuses(self, ids: Sequence[int]) -> list[Details]:
        ids = list(ids)
        self.asked.append(ids)
        answer = self.polls[min(len(self.asked), len(self.polls)) - 1]
        found = []
        for creative_id in ids:
            if creative_id not in answer:
                continue
            details = answer[creative_id]
            found.append(details if isinstance(details, Details) else Details(creative_id, details))
        return found


def review(client: StatusClient, ids: Sequence[int], *, timeout: float = 900.0, time: FakeTime | None = None,
           requests: list[int] | None = None) -> dict[int, Review]:
    time = time or FakeTime()
    verbs = IqmVerbs(client, approval_timeout_s=timeout, sleep=time.sleep, clock=time.clock)
    on_request = requests.append if requests is not None else (lambda n: None)
    return asyncio.run(verbs.review(ids, on_request=on_request))


def test_pending_then_running_is_approved_after_polling_again():
    client, time = StatusClient({1: "pending"}, {1: "running"}), FakeTime()
    assert review(client, [1], time=time) == {1: Review("approved")}
    assert client.asked == [[1], [1]]
    assert time.sleeps == [FIRST_POLL_S]


def test_a_stopping_run_polls_no_more_and_leaves_the_review_pending():
    client, time = StatusClient({1: "pending"}, {1: "running"}), FakeTime()
    verbs = IqmVerbs(client, approval_timeout_s=900.0, sleep=time.sleep, clock=time.clock)
    reviews = asyncio.run(verbs.review([1], stopping=lambda: True))  # Ctrl-C came during the first poll
    assert reviews[1].status == "pending" and client.asked == [[1]] and time.sleeps == []


@pytest.mark.parametrize("status", ["running", "paused", "approved", "active", "RUNNING", "Paused"])
def test_statuses_a_campaign_may_use_are_approved_at_once(status):
    client, time = StatusClient({1: status}), FakeTime()
    assert review(client, [1], time=time) == {1: Review("approved")}
    assert time.sleeps == []


def test_only_creatives_still_pending_are_asked_again_and_waits_grow():
    client, time = StatusClient({1: "running", 2: "pending", 3: "pending"},
                                {2: "paused", 3: "pending"},
                                {3: "running"}), FakeTime()
    assert review(client, [1, 2, 3], time=time) == {1: Review("approved"), 2: Review("approved"),
                                                    3: Review("approved")}
    assert client.asked == [[1, 2, 3], [2, 3], [3]]
    assert time.sleeps == [2.0, 4.0]


@pytest.mark.parametrize("details,reason", [
    (Details(1, "rejected", rejectionReason="Landing page not reachable"), "Landing page not reachable"),
    (Details(1, "Rejected", remarks="Adult content"), "Adult content"),
    (Details(1, "rejected", rejectionReason="Policy", remarks="ignored"), "Policy"),
    (Details(1, "rejected"), "IQM says it is rejected"),
    (Details(1, "deleted"), "IQM says it is deleted"),
])
def test_a_refused_creative_is_rejected_with_the_reason(details, reason):
    client, time = StatusClient({1: details}), FakeTime()
    assert review(client, [1], time=time) == {1: Review("rejected", reason)}
    assert time.sleeps == []


def test_a_creative_iqm_does_not_know_is_missing():
    client = StatusClient({1: "running"})
    assert review(client, [1, 404]) == {1: Review("approved"),
                                        404: Review("missing", "IQM does not know this creative in this workspace")}
    assert client.asked == [[1, 404]]


def test_an_unknown_status_is_still_pending_and_says_which():
    client = StatusClient({1: "in_review", 2: None})
    assert review(client, [1, 2], timeout=0) == {1: Review("pending", "in_review"), 2: Review("pending", "pending")}


def test_the_timeout_returns_what_is_pending_without_sleeping_past_the_deadline():
    client, time = StatusClient({1: "pending", 2: "running"}), FakeTime()
    started = time.now
    reviews = review(client, [1, 2], timeout=5, time=time)
    assert reviews == {1: Review("pending", "pending"), 2: Review("approved")}
    assert time.sleeps == [2.0, 3.0]  # the second wait is cut to the deadline (it would be 4 s)
    assert time.now == started + 5
    assert client.asked == [[1, 2], [1], [1]]  # a last look at the deadline


def test_waits_double_up_to_the_longest_poll_and_stop_at_the_deadline():
    client, time = StatusClient({1: "pending"}), FakeTime()
    started = time.now
    assert review(client, [1], timeout=100, time=time) == {1: Review("pending", "pending")}
    assert time.sleeps == [2.0, 4.0, 8.0, 16.0, LONGEST_POLL_S, LONGEST_POLL_S, 10.0]
    assert max(time.sleeps) == 30.0
    assert time.now == started + 100


def test_a_zero_timeout_polls_once_and_never_sleeps():
    client, time = StatusClient({1: "pending"}), FakeTime()
    assert review(client, [1], timeout=0, time=time) == {1: Review("pending", "pending")}
    assert (client.asked, time.sleeps) == ([[1]], [])


def test_on_request_hears_the_number_of_batches_of_each_poll():
    client = StatusClient({1: "running", 2: "pending", 3: "pending", 4: "pending", 5: "pending"},
                          {2: "running", 3: "running", 4: "running", 5: "pending"},
                          {5: "running"}, status_batch_size=2)
    requests: list[int] = []
    reviews = review(client, [1, 2, 3, 4, 5], requests=requests)
    assert {review.status for review in reviews.values()} == {"approved"}
    assert requests == [3, 2, 1]  # ceil(5 / 2), ceil(4 / 2), ceil(1 / 2)


@pytest.mark.parametrize("count,batch,expected", [(1, 200, 1), (200, 200, 1), (201, 200, 2), (7, 3, 3), (6, 3, 2)])
def test_batches_are_the_ceiling_of_ids_over_the_batch_size(count, batch, expected):
    requests: list[int] = []
    review(StatusClient(dict.fromkeys(range(1, count + 1), "running"), status_batch_size=batch),
           list(range(1, count + 1)), requests=requests)
    assert requests == [expected]


def test_ids_are_asked_once_each_and_nothing_is_asked_for_no_ids():
    client = StatusClient({7: "running", 8: "running"})
    assert review(client, [7, 8, 7]) == {7: Review("approved"), 8: Review("approved")}
    assert client.asked == [[7, 8]]
    empty = StatusClient({})
    assert review(empty, []) == {}
    assert empty.asked == []


# --- upload ----------------------------------------------------------------------------------------------------

class UploadClient:
    """Records each `add_creatives(creatives)`; answers one new ID per creative (or `answers` if given)."""

    def __init__(self, answers: Sequence[AddedCreative] | None = None) -> None:
        self.answers = answers
        self.calls: list[list[NewCreative]] = []

    async def add_creatives(self, creatives: Sequence[NewCreative]) -> list[AddedCreative]:
        self.calls.append(list(creatives))
        if self.answers is not None:
            return list(self.answers)
        return [AddedCreative(id=9000 + n) for n in range(len(creatives))]


def upload(client: UploadClient, payloads: Sequence[Mapping[str, Any]]) -> list[Uploaded]:
    return asyncio.run(IqmVerbs(client).upload(payloads))


def test_an_image_goes_as_its_file_with_its_fields(tmp_path: Path):
    image = tmp_path / "spring.png"
    image.write_bytes(png(300, 250))
    client = UploadClient()
    results = upload(client, [{"format": "image", "creativeName": "Spring", "file": str(image),
                               "clickUrl": "https://shop.example.com", "pixelUrl": "https://px.example.com/p.gif",
                               "width": 300, "height": 250}])
    assert results == [Uploaded(id=9000)]
    assert client.calls == [[NewCreative("Spring", "image", "FILE", file=("spring.png", png(300, 250), None),
                                         click_url="https://shop.example.com",
                                         pixel_url="https://px.example.com/p.gif", width=300, height=250)]]


@pytest.mark.parametrize(("format_name", "kind", "source_type"), [
    ("html", "html", "HTML"), ("vast", "video", "VAST_XML"), ("daast", "audio", "DAAST_XML")])
def test_a_tag_goes_as_its_source_on_the_creative_guides_route(format_name, kind, source_type):
    client = UploadClient()
    tag = f'<{format_name.upper()} version="4.0"/>' if format_name != "html" else "<div>Café</div>"
    upload(client, [{"format": format_name, "creativeName": "Spot", "tag": tag, "clickUrl": "https://shop.example"}])
    assert client.calls == [[NewCreative("Spot", kind, source_type, source=tag, click_url="https://shop.example")]]


@pytest.mark.parametrize(("format_name", "kind"), [("video", "video"), ("audio", "audio")])
def test_video_and_audio_files_go_as_files_of_their_type(tmp_path: Path, format_name, kind):
    clip = tmp_path / "clip.bin"
    clip.write_bytes(b"\0\0\0\x18ftyp")
    client = UploadClient()
    upload(client, [{"format": format_name, "creativeName": "Clip", "file": str(clip)}])
    assert client.calls == [[NewCreative("Clip", kind, "FILE", file=("clip.bin", b"\0\0\0\x18ftyp", None))]]


def test_each_creatives_outcome_comes_back_in_order():
    client = UploadClient([AddedCreative(id=41), AddedCreative(error="Creative file missing."), AddedCreative(id=43)])
    payloads = [{"format": "html", "creativeName": name, "tag": "<b>x</b>"} for name in ("A", "B", "C")]
    assert upload(client, payloads) == [Uploaded(id=41), Uploaded(error="Creative file missing."), Uploaded(id=43)]
    assert len(client.calls) == 1  # one request for all of them


@pytest.mark.parametrize("answered", [[AddedCreative(id=1)], [AddedCreative(id=n) for n in range(3)], []])
def test_a_count_mismatch_raises_a_platform_error(answered):
    client = UploadClient(answered)
    payloads = [{"format": "html", "creativeName": name, "tag": "<b>x</b>"} for name in ("A", "B")]
    with pytest.raises(PlatformError) as raised:
        upload(client, payloads)
    assert f"IQM answered for {len(answered)} creatives of 2" in str(raised.value)


# --- creative types --------------------------------------------------------------------------------------------

class TypesClient:
    """IQM's creative types; counts the requests."""

    def __init__(self) -> None:
        self.requests = 0

    async def creative_types(self) -> list[SimpleNamespace]:
        self.requests += 1
        await asyncio.sleep(0)
        return [SimpleNamespace(id=11, keyName="image", label="Image"),
                SimpleNamespace(id=13, keyName="html", label="HTML Banner"),
                SimpleNamespace(id=14, keyName="video", label="Video"),
                SimpleNamespace(id=15, keyName=None, label="Audio"),
                SimpleNamespace(id=99, keyName="videoLegacy", label="Video")]  # a second "Video": the first wins


def type_ids(client: TypesClient, names: Sequence[str]) -> list[int]:
    verbs = IqmVerbs(client)

    async def run() -> list[int]:
        return [await verbs.creative_type_id(name) for name in names]

    return asyncio.run(run())


def test_creative_type_ids_by_key_name_or_label_in_any_case():
    client = TypesClient()
    assert type_ids(client, ["image", "IMAGE", "Html", "html banner", "video", "audio", "VIDEOLEGACY"]) == [
        11, 11, 13, 13, 14, 15, 99]
    assert client.requests == 1  # read once, then cached


def test_an_unknown_creative_type_raises_a_platform_error():
    client = TypesClient()
    verbs = IqmVerbs(client)

    async def run() -> None:
        assert await verbs.creative_type_id("image") == 11
        with pytest.raises(PlatformError) as raised:
            await verbs.creative_type_id("native")
        assert "'native'" in str(raised.value)
        assert "creativeTypes" in str(raised.value)

    asyncio.run(run())
    assert client.requests == 1


# --- campaigns -------------------------------------------------------------------------------------------------

class CampaignClient:
    def __init__(self) -> None:
        self.created: list[dict] = []

    async def create_campaign(self, payload: dict) -> SimpleNamespace:
        self.created.append(payload)
        return SimpleNamespace(id=321, message="created", status="pending")

    async def get_campaign(self, campaign_id: int) -> Any:
        return SimpleNamespace(model_dump=lambda **_: {"id": campaign_id, "status": "running"})

    async def find_campaigns(self, name: str) -> list[SimpleNamespace]:
        return [SimpleNamespace(id=321, name=name)] if name == "Spring" else []


def test_create_returns_the_new_id_and_campaign_reads_the_live_fields():
    client = CampaignClient()
    verbs = IqmVerbs(client)
    assert asyncio.run(verbs.create({"campaignName": "Spring"})) == 321
    assert client.created == [{"campaignName": "Spring"}]
    assert asyncio.run(verbs.campaign(77)) == {"id": 77, "status": "running"}
    assert asyncio.run(verbs.find("Spring")) == [321]  # IQM's campaign list, searched by name
    assert asyncio.run(verbs.find("Autumn")) == []


def test_create_keeps_the_status_its_answer_carries():
    verbs = IqmVerbs(CampaignClient())
    asyncio.run(verbs.create({"campaignName": "Spring"}))
    assert verbs.created_status == {321: "pending"}


class UpdateClient:
    """The campaign guide's update routes and the campaign list, recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def update_campaign(self, campaign_id: int, fields: dict) -> str:
        self.calls.append(("patch", campaign_id, fields))
        return "running"

    async def update_budgets(self, ids, **values) -> str:
        self.calls.append(("budget", list(ids), values))
        return "answer"

    async def update_end_dates(self, ids, end) -> None:
        self.calls.append(("end", list(ids), end))

    async def listed_campaigns(self, ids) -> list[SimpleNamespace]:
        self.calls.append(("list", list(ids)))
        return [SimpleNamespace(id=i) for i in ids if i != 99]


def test_updates_go_to_the_client_with_the_campaign_guides_names():
    client = UpdateClient()
    verbs = IqmVerbs(client)

    async def run() -> tuple:
        return (await verbs.update(7, {"maxBid": 3}),
                await verbs.update_budgets([7, 8], {"budgetDay": 20, "maxBid": 3}),
                await verbs.update_end_dates([7], 1705000000),
                await verbs.listed([7, 99]))

    status, answer, _, listed = asyncio.run(run())
    assert (status, answer, list(listed)) == ("running", "answer", [7])
    assert client.calls == [("patch", 7, {"maxBid": 3}),
                            ("budget", [7, 8], {"daily_budget": 20, "total_budget": None, "max_bid": 3}),
                            ("end", [7], 1705000000), ("list", [7, 99])]
