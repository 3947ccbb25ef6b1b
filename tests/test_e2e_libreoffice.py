"""End to end: a workbook saved by LibreOffice (every TRUE/FALSE cell a constant formula with its
value) pushed through the CLI to the SmartyAds sandbox; the stored flags are the cells' values.

tests/io/libreoffice/booleans.xlsx was made by tests/io/libreoffice/make.py: a bulkops
template filled in with boolean cells, opened and saved by LibreOffice Calc 7.4 (`soffice --headless
--convert-to xlsx`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_e2e import push

pytestmark = pytest.mark.slow

BOOLEANS = Path(__file__).resolve().parent / "io" / "libreoffice" / "booleans.xlsx"


def test_a_libreoffice_workbook_pushes_its_booleans(env, server, tmp_path):
    result, summary = push(BOOLEANS, server.base_url, "-o", str(tmp_path / "results.xlsx"))
    assert result.exit_code == 0, result.output
    assert summary["counts"] == {"Campaigns": {"created": 2}, "Geo ZIP": {"created": 3}}
    stored = {c["name"]: c for c in server.sandbox.campaigns()}
    flags = ("isTablet", "isSmartphone", "frequency", "isRewarded")
    assert {name: {f: stored[name][f] for f in flags} for name in stored} == {
        "North": {"isTablet": False, "isSmartphone": True, "frequency": True, "isRewarded": False},
        "South": {"isTablet": True, "isSmartphone": False, "frequency": False, "isRewarded": True},
    }
    zips = {name: [(z["zip"], z["include"]) for z in server.sandbox.campaign_zips(stored[name]["id"])]
            for name in stored}
    assert zips == {"North": [("02134", True), ("10001", False)], "South": [("60601", True)]}
