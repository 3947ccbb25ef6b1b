"""Journal keys say what a row asks, never where it sits: the same rows from another file, sheet
order or row give the same keys; other rows (another value, another Ref, another file's bytes, other
items travelling with a list) give others; identical rows are told apart by their occurrence."""

from __future__ import annotations

import shutil
from pathlib import Path

from bulkops.io import read_files, write_filled
from bulkops.planner import build_plan
from bulkops.validation import validate_sheets
from tests._media import png
from tests.conftest import campaign


def keys(paths: list[Path], platform: str = "smartyads") -> dict[str, str]:
    """Each create's key, by the row's name."""
    plan = build_plan(validate_sheets(read_files(paths, platform)), skip_invalid=False)
    return {str(op.payload.get("name") or op.payload.get("title") or op.payload.get("creativeName")
                or op.payload.get("campaignName")): op.key for op in plan.operations}


def test_a_create_key_does_not_depend_on_file_name_sheet_order_or_row(tmp_path):
    rows = [campaign(ref="a", name="Alpha"), campaign(ref=None, name="Beta")]
    one = write_filled(tmp_path / "campaigns.xlsx", "smartyads", {"campaigns": rows})
    other = write_filled(tmp_path / "elsewhere" / "job-2.xlsx", "smartyads", {
        "geo-zip": [], "campaigns": [campaign(ref="z", name="Zeta"), *reversed(rows)]})
    first, second = keys([one]), keys([other])
    assert first == {k: v for k, v in second.items() if k != "Zeta"}
    assert "campaigns.xlsx" not in "".join(first.values()) and ":2" not in first["Alpha"].split(":create:")[0]


def test_what_a_row_asks_makes_its_key(tmp_path):
    base = keys([write_filled(tmp_path / "a.xlsx", "smartyads", {"campaigns": [campaign(ref="a", name="Alpha")]})])
    for changed in (campaign(ref="b", name="Alpha"), campaign(ref="a", name="Alpha", aDomain="other.example"),
                    campaign(ref=None, name="Alpha")):
        path = write_filled(tmp_path / "b.xlsx", "smartyads", {"campaigns": [changed]})
        assert keys([path])["Alpha"] != base["Alpha"], changed


def test_identical_rows_are_two_creates_and_keep_their_keys_in_order(tmp_path):
    same = campaign(ref=None, name="Twin")
    path = write_filled(tmp_path / "c.xlsx", "smartyads", {"campaigns": [same, campaign(ref=None, name="X"), same]})
    plan = build_plan(validate_sheets(read_files([path], "smartyads")), skip_invalid=False)
    twins = [op.key for op in plan.operations if op.payload["name"] == "Twin"]
    assert len(set(twins)) == 2 and [k.rsplit(":", 1)[1] for k in twins] == ["1", "2"]


def creative_job(folder: Path, image: bytes, name: str = "banner.png") -> Path:
    (folder / "media").mkdir(parents=True, exist_ok=True)
    (folder / "media" / name).write_bytes(image)
    return write_filled(folder / "job.xlsx", "smartyads", {"creatives": [
        {"ref": "k", "name": "Spring", "format": "banner-image", "bidPrice": 1.5, "categories": "IAB1",
         "mediaFile": f"media/{name}", "clickUrl": "https://shop.example.com/spring"}]})


def test_a_media_file_counts_by_its_bytes_not_its_path(tmp_path):
    first = keys([creative_job(tmp_path / "a", png(300, 250))])
    moved = tmp_path / "moved"
    shutil.copytree(tmp_path / "a", moved)
    assert keys([moved / "job.xlsx"]) == first  # the job copied elsewhere is the same job
    assert keys([creative_job(tmp_path / "b", png(300, 250), "renamed.png")]) == first
    assert keys([creative_job(tmp_path / "c", png(300, 250) + b"\0")]) != first  # other bytes: another create


def test_a_filter_lists_items_are_part_of_what_its_create_asks(tmp_path):
    def job(items: list[str]) -> dict[str, str]:
        return keys([write_filled(tmp_path / f"{len(items)}.xlsx", "smartyads", {
            "filter-lists": [{"ref": "fl", "title": "Blocked", "type": "domain", "isInclude": "exclude"}],
            "filter-list-items": [{"filterList": "fl", "item": item} for item in items]})])

    assert job(["a.example.com"]) != job(["a.example.com", "b.example.com"])


def test_an_iqm_campaigns_targeting_is_part_of_what_its_create_asks(tmp_path):
    from tests.test_e2e_iqm import campaign_row

    def job(zips: list[str]) -> dict[str, str]:
        return keys([write_filled(tmp_path / f"iqm-{len(zips)}.xlsx", "iqm", {
            "campaigns": [campaign_row(ref="c1")], "geo-zip": [{"campaign": "c1", "zip": z} for z in zips]})], "iqm")

    assert job(["02134"])["North"] != job(["02134", "02135"])["North"]
