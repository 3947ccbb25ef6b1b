"""IQM's verbs for the run, with fake clients in memory: folding targeting items into campaign fields,
comparing a row with a live campaign, the creative upload, the review polling and the creative type IDs."""

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
from bulkops.run._iqm import _with_status
from bulkops.run._iqm_verbs import FIRST_POLL_S, LONGEST_POLL_S, IqmVerbs, Review, differences, fold, holds
from bulkops.run._outcome import RowOutcome, Status
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


# --- differences -----------------------------------------------------------------------------------------------

def test_fields_iqm_does_not_show_are_not_compared():
    wanted = {"campaignName": "Spring", "schedule": {"0": [["09:00:00", "17:00:00"]]}, "isAgreementChecked": True}
    assert differences(wanted, {"campaignName": "Spring", "status": "running"}) == []


def test_comma_lists_compare_as_sets():
    wanted = {"deviceType": "13,15,11", "creativeIds": "148971,148972", "exchanges": "55,61"}
    live = {"deviceType": "11, 13,15", "creativeIds": "148972,148971,148971", "exchanges": "61,55,"}
    assert differences(wanted, live) == []


def test_numbers_compare_by_value_whatever_their_type():
    wanted = {"maxBid": 10.0, "budgetDay": 10, "timezone": 433, "startTime": 1803877200}
    live = {"maxBid": 10, "budgetDay": 10.0, "timezone": 433.0, "startTime": 1803877200}
    assert differences(wanted, live) == []


def test_a_changed_name_is_reported_as_field_live_then_wanted():
    assert differences({"campaignName": "Spring Sale"}, {"campaignName": "Winter Sale"}) == [
        "campaignName: Winter Sale → Spring Sale"]


def test_each_difference_is_reported_in_the_rows_order():
    wanted = {"campaignName": "A", "maxBid": 12.5, "deviceType": "13,15", "ioId": 5, "isTvAd": True}
    live = {"isTvAd": False, "ioId": None, "deviceType": "13", "maxBid": 10, "campaignName": "A"}
    assert differences(wanted, live) == [
        "maxBid: 10 → 12.5", "deviceType: 13 → 13,15", "ioId: (none) → 5", "isTvAd: False → True"]


def test_a_missing_value_on_either_side_is_shown_as_none():
    assert differences({"exchanges": "55"}, {"exchanges": ""}) == ["exchanges: (none) → 55"]
    assert differences({"exchanges": ""}, {"exchanges": "55"}) == ["exchanges: 55 → (none)"]


def test_long_values_are_shortened_and_json_values_shown_as_json():
    [line] = differences({"campaignName": "x" * 100}, {"campaignName": "y"})
    assert line == "campaignName: y → " + "x" * 57 + "…"
    assert differences({"schedule": {"0": [["09:00:00", "17:00:00"]]}}, {"schedule": {}}) == [
        'schedule: {} → {"0": [["09:00:00", "17:00:00"]]}']


def test_circles_compare_by_latitude_longitude_and_radius():
    wanted = fold([item("whiteListedGeoRadiusDetails", CIRCLE)])
    live_same = [{"latitude": 42.35, "longitude": -71.13, "radius": 1.5, "address": "elsewhere", "id": 9}]
    live_other = [{"latitude": 42.35, "longitude": -71.13, "radius": 2.0}]
    assert differences(wanted, {"whiteListedGeoRadiusDetails": live_same}) == []
    assert differences(wanted, {"whiteListedGeoRadiusDetails": json.dumps(live_same)}) == []
    [line] = differences(wanted, {"whiteListedGeoRadiusDetails": live_other})
    assert line.startswith("whiteListedGeoRadiusDetails: ")


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
    """Records each `upload_creatives(files, metadata)`; answers one new ID per file (or `ids` if given)."""

    def __init__(self, ids: Sequence[int] | None = None) -> None:
        self.ids = ids
        self.calls: list[tuple[list[tuple[str, bytes, str | None]], dict[str, dict[str, Any]]]] = []

    async def upload_creatives(self, files: Sequence[tuple[str, bytes, str | None]],
                               metadata: Mapping[str, Mapping[str, Any]]) -> SimpleNamespace:
        self.calls.append((list(files), {name: dict(entry) for name, entry in metadata.items()}))
        ids = list(self.ids) if self.ids is not None else [9000 + n for n in range(len(files))]
        return SimpleNamespace(ids=ids)


def upload(client: UploadClient, payloads: Sequence[Mapping[str, Any]]) -> list[int]:
    return asyncio.run(IqmVerbs(client).upload(payloads))


def test_an_image_travels_as_its_file_with_its_metadata(tmp_path: Path):
    image = tmp_path / "spring.png"
    image.write_bytes(png(300, 250))
    client = UploadClient()
    ids = upload(client, [{"format": "image", "creativeName": "Spring", "file": str(image),
                           "clickUrl": "https://shop.example.com", "pixelUrl": "https://px.example.com/p.gif",
                           "width": 300, "height": 250}])
    assert ids == [9000]
    [(files, metadata)] = client.calls
    assert files == [("1-spring.png", png(300, 250), None)]  # the client guesses the type from the name
    assert metadata == {"1-spring.png": {"creativeName": "Spring", "clickUrl": "https://shop.example.com",
                                         "pixelUrl": "https://px.example.com/p.gif", "width": 300, "height": 250}}


def test_an_html_tag_travels_as_an_html_file():
    client = UploadClient()
    tag = '<div><a href="https://shop.example.com">Café</a></div>'
    upload(client, [{"format": "html", "creativeName": "Spring Banner", "tag": tag, "width": 300, "height": 250}])
    [(files, metadata)] = client.calls
    assert files == [("1-Spring-Banner.html", tag.encode("utf-8"), "text/html")]
    assert metadata == {"1-Spring-Banner.html": {"creativeName": "Spring Banner", "width": 300, "height": 250}}


@pytest.mark.parametrize("format_name", ["vast", "daast"])
def test_vast_and_daast_travel_as_xml_files(format_name):
    client = UploadClient()
    document = f'<?xml version="1.0"?><{format_name.upper()} version="4.0"/>'
    upload(client, [{"format": format_name, "creativeName": "Spot", "tag": document,
                     "clickUrl": "https://shop.example.com"}])
    [(files, metadata)] = client.calls
    assert files == [("1-Spot.xml", document.encode(), "application/xml")]
    assert metadata == {"1-Spot.xml": {"creativeName": "Spot", "clickUrl": "https://shop.example.com"}}


@pytest.mark.parametrize("name,file_name", [
    ("Spring Sale / 300x250!", "1-Spring-Sale-300x250.html"),
    ("  already_fine-1.0  ", "1-already_fine-1.0.html"),
    ("春のセール", "1-creative.html"),
    ("x" * 120, "1-" + "x" * 80 + ".html"),
])
def test_a_tag_file_is_named_after_the_creative_safely(name, file_name):
    client = UploadClient()
    upload(client, [{"format": "html", "creativeName": name, "tag": "<b>ad</b>", "width": 1, "height": 1}])
    [(files, metadata)] = client.calls
    assert [f[0] for f in files] == [file_name]
    assert metadata[file_name]["creativeName"] == name


def test_names_are_unique_within_a_request_and_ids_come_back_in_order(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for folder in ("a", "b"):
        (tmp_path / folder / "banner.png").write_bytes(png(10, 10))
    payloads = [
        {"format": "image", "creativeName": "One", "file": str(tmp_path / "a" / "banner.png")},
        {"format": "image", "creativeName": "Two", "file": str(tmp_path / "b" / "banner.png")},
        {"format": "html", "creativeName": "Same", "tag": "<b>1</b>"},
        {"format": "html", "creativeName": "Same", "tag": "<b>2</b>"},
    ]
    client = UploadClient(ids=[41, 42, 43, 44])
    assert upload(client, payloads) == [41, 42, 43, 44]
    [(files, metadata)] = client.calls
    names = [f[0] for f in files]
    assert names == ["1-banner.png", "2-banner.png", "3-Same.html", "4-Same.html"]
    assert list(metadata) == names
    assert [metadata[n]["creativeName"] for n in names] == ["One", "Two", "Same", "Same"]
    assert [f[1] for f in files[2:]] == [b"<b>1</b>", b"<b>2</b>"]


@pytest.mark.parametrize("answered", [[1], [1, 2, 3], []])
def test_a_count_mismatch_raises_a_platform_error(answered):
    client = UploadClient(ids=answered)
    payloads = [{"format": "html", "creativeName": name, "tag": "<b>x</b>"} for name in ("A", "B")]
    with pytest.raises(PlatformError) as raised:
        upload(client, payloads)
    assert f"{len(answered)} creative IDs for 2 files" in str(raised.value)


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
        return SimpleNamespace(model_dump=lambda: {"id": campaign_id, "status": "running"})

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


class StatuslessClient(CampaignClient):
    """A create whose answer says nothing of the campaign's status."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[int] = []

    async def create_campaign(self, payload: dict) -> SimpleNamespace:
        self.created.append(payload)
        return SimpleNamespace(id=654, message="created", status=None)

    async def get_campaign(self, campaign_id: int) -> Any:
        self.reads.append(campaign_id)
        return await super().get_campaign(campaign_id)


def test_create_keeps_the_status_its_answer_carries():
    verbs = IqmVerbs(CampaignClient())
    asyncio.run(verbs.create({"campaignName": "Spring"}))
    assert verbs.created_status == {321: "pending"}


def test_a_new_campaigns_status_comes_from_its_create_without_a_read():
    client = CampaignClient()
    client.get_campaign = None  # type: ignore[assignment]  # reading it back would fail the test
    verbs, ticks = IqmVerbs(client), []
    ctx = SimpleNamespace(verbs={"iqm": verbs}, tick=ticks.append)
    new_id = asyncio.run(verbs.create({"campaignName": "Spring"}))
    outcome = asyncio.run(_with_status(RowOutcome(Status.CREATED, "", new_id), ctx))
    assert (outcome.message, outcome.id, ticks) == ("status: pending", 321, [])


def test_a_campaigns_status_is_read_back_when_the_create_did_not_say_it():
    client = StatuslessClient()
    verbs, ticks = IqmVerbs(client), []
    ctx = SimpleNamespace(verbs={"iqm": verbs}, tick=ticks.append)
    new_id = asyncio.run(verbs.create({"campaignName": "Spring"}))
    outcome = asyncio.run(_with_status(RowOutcome(Status.CREATED, "", new_id), ctx))
    assert (outcome.message, client.reads, ticks) == ("status: running", [654], [1])


def test_a_campaign_an_earlier_run_created_has_its_status_read_back():
    client = StatuslessClient()
    ctx = SimpleNamespace(verbs={"iqm": IqmVerbs(client)}, tick=lambda n: None)
    earlier = "created by an earlier run (2026-12-06 14:02, campaigns.csv → out-a.xlsx)"
    outcome = asyncio.run(_with_status(RowOutcome(Status.CREATED, earlier, 77), ctx))
    assert (outcome.message, client.reads) == (f"{earlier}; status: running", [77])  # which run, then the status


# --- regressions ----------------------------------------------------------------------------------------------

def test_free_text_is_not_compared_as_a_comma_list():
    assert differences({"campaignName": "Spring, Sale"}, {"campaignName": "Sale, Spring"}) == [
        "campaignName: Sale, Spring → Spring, Sale"]


def test_holds_a_value_iqm_answers_as_a_bare_number():
    assert holds({"whiteListedInventoryGroupIds": 42}, item("whiteListedInventoryGroupIds", "42"))
    assert not holds({"whiteListedInventoryGroupIds": 41}, item("whiteListedInventoryGroupIds", "42"))
    assert differences({"userDealId": "5012"}, {"userDealId": 5012}) == []
