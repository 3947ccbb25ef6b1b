"""End to end through the CLI: a results workbook pushed again means exactly what its input meant.
Numbers of a CSV job keep their value (a ';' file's 1.000 is a thousand in its results too), and a job
of several files of one kind, whose results hold `Campaigns (2)`, is read back sheet for sheet: what
was done sends nothing, what failed is sent again, and a sheet copied later is refused."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests._excel_csv import write_excel_csv
from tests._media import png
from tests.test_e2e import writes
from tests.test_e2e_iqm import push as push_iqm
from tests.test_e2e_iqm import writes as iqm_writes
from tests.test_e2e_numbers import iqm_server, run  # noqa: F401 - iqm_server is a fixture

pytestmark = pytest.mark.slow

# The same job as Excel saves it in German settings (';', cp1252) and in English ones (','): every
# number is one a text cell of a workbook could read two ways (1.000, 0,125, 48,864), and one cell is
# refused (1,5 is no whole number), which the results keep as typed for the buyer to fix.
SMARTYADS_JOBS = {
    ";": {"campaigns": [["Ref", "Name", "Type", "Advertiser Domain", "Daily Spend Limit", "Total Spend Limit"],
                        ["c1", "Café Nord", "banner", "shop.example.com", "1.000", "12.500"],
                        ["c2", "Süd", "banner", "shop.example.com", "1,5", ""]],
          "deals": [["Campaign", "Deal ID", "Bid Price"], ["c1", "PMP-1", "12,500"], ["c1", "PMP-2", "2,500"]],
          "geo-gps": [["Campaign", "Latitude", "Longitude", "Radius", "Unit"],
                      ["c1", "48,864", "2,3522", "1,5", "km"]]},
    ",": {"campaigns": [["Ref", "Name", "Type", "Advertiser Domain", "Daily Spend Limit", "Total Spend Limit"],
                        ["c1", "Café Nord", "banner", "shop.example.com", "1,000", "12,500"],
                        ["c2", "Süd", "banner", "shop.example.com", "1.5", ""]],
          "deals": [["Campaign", "Deal ID", "Bid Price"], ["c1", "PMP-1", "12.500"], ["c1", "PMP-2", "2.500"]],
          "geo-gps": [["Campaign", "Latitude", "Longitude", "Radius", "Unit"],
                      ["c1", "48.864", "2.3522", "1.5", "km"]]},
}
ENCODINGS = {";": "cp1252", ",": "utf-8"}


def cells_of(path: Path, title: str, header: str) -> list[tuple[object, str]]:
    """A column's data cells as (value, openpyxl's data type: 'n' number, 's' text)."""
    sheet = openpyxl.load_workbook(path)[title]
    column = [c.value for c in sheet[1]].index(header) + 1
    return [(sheet.cell(row, column).value, sheet.cell(row, column).data_type) for row in range(2, sheet.max_row + 1)]


def assert_smartyads_stored_as_meant(sandbox) -> dict:
    by_name = {c["name"]: c for c in sandbox.campaigns()}
    assert set(by_name) == {"Café Nord"}
    nord = by_name["Café Nord"]
    assert (nord["spentDailyLimit"], nord["spentTotalLimit"]) == (1000, 12500)
    assert sorted((d["dealId"], float(d["bidPrice"])) for d in sandbox.campaign_deals(nord["id"])) == [
        ("PMP-1", 12.5), ("PMP-2", 2.5)]
    [circle] = sandbox.campaign_circles(nord["id"])
    assert (circle["lat"], circle["lng"], circle["radius"]) == (48.864, 2.3522, 1.5)
    return nord


@pytest.mark.parametrize("separator", [";", ","], ids=["semicolon-cp1252", "comma-utf8"])
def test_a_smartyads_csv_jobs_results_pushed_again_keep_its_numbers_and_send_nothing(env, server, tmp_path,
                                                                                     separator):
    folder = tmp_path / "job"
    folder.mkdir()
    paths = [write_excel_csv(folder / f"{name}.csv", rows, separator=separator, encoding=ENCODINGS[separator])
             for name, rows in SMARTYADS_JOBS[separator].items()]
    out = tmp_path / "r.xlsx"
    code, output, summary = run("push", *paths, "-p", "smartyads", "--base-url", server.base_url, "--quiet",
                                "--json", "--skip-invalid", "-o", out)
    assert code == 0, output
    assert summary["counts"]["Campaigns"] == {"created": 1, "invalid": 1}
    nord = assert_smartyads_stored_as_meant(server.sandbox)
    # Numbers are number cells holding what the CSV meant; the refused cell is text, as typed.
    refused = SMARTYADS_JOBS[separator]["campaigns"][2][4]
    assert cells_of(out, "Campaigns", "Daily Spend Limit") == [(1000, "n"), (refused, "s")]
    assert cells_of(out, "Campaigns", "Total Spend Limit") == [(12500, "n"), (None, "n")]
    assert cells_of(out, "Deals", "Bid Price") == [(12.5, "n"), (2.5, "n")]
    assert cells_of(out, "Geo GPS", "Latitude") == [(48.864, "n")]

    server.sandbox.reset_request_log()
    code, output, summary = run("push", out, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json",
                                "--skip-invalid")
    assert code == 0, output
    assert "could be" not in output  # no number asked about: none reads two ways
    assert writes(server) == []
    assert summary["counts"] == {"Campaigns": {"unchanged": 1, "invalid": 1}, "Deals": {"unchanged": 2},
                                 "Geo GPS": {"unchanged": 1}}
    [problem] = [p for p in summary["problems"] if p["severity"] == "error"]
    assert (problem["row"], problem["column"]) == (3, "Daily Spend Limit")
    assert problem["message"].startswith(f"'{refused}' ") and "is not a whole number" in problem["message"]
    assert assert_smartyads_stored_as_meant(server.sandbox) == nord

    # The buyer fixes the refused cell in the results workbook: only that row is sent.
    book = openpyxl.load_workbook(out)
    sheet = book["Campaigns"]
    sheet.cell(3, [c.value for c in sheet[1]].index("Daily Spend Limit") + 1).value = 2
    book.save(out)
    code, output, summary = run("push", out, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json")
    assert code == 0, output
    assert writes(server) == ["POST /api/campaigns"]
    assert summary["counts"]["Campaigns"] == {"unchanged": 1, "created": 1}
    assert {c["name"]: c["spentDailyLimit"] for c in server.sandbox.campaigns()} == {"Café Nord": 1000, "Süd": 2}


IQM_JOBS = {
    ";": {"campaigns": ["0,125", "50", "1.500", "VRAI"], "geo-gps": ["48,864", "2,3522", "1,5"]},
    ",": {"campaigns": ["0.125", "50", "1,500", "TRUE"], "geo-gps": ["48.864", "2.3522", "1.5"]},
}


def iqm_job(folder: Path, separator: str) -> list[Path]:
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "300x250.png").write_bytes(png(300, 250))
    bid, daily, total, agreed = IQM_JOBS[separator]["campaigns"]
    common = ["https://shop.example.com", "image"]
    moment = ["2027-10-01 00:00", "Europe/Paris", "433", "2695", "30100001", agreed]
    campaigns = [["Ref", "Name", "Advertiser Domain", "Creative Type", "Max Bid", "Daily Budget", "Total Budget",
                  "Start Time", "Time Zone Name", "Time Zone ID", "Insertion Order ID", "Country ID",
                  "Agreement Checked"],
                 ["c1", "Nord", *common, bid, daily, total, *moment],
                 ["c2", "Süd", *common, bid, "50 €", total, *moment]]  # a currency sign: no number, refused
    creatives = [["Ref", "Name", "Format", "Campaigns", "File", "Click URL"],
                 ["a", "Nord 300x250", "image", "c1", "media/300x250.png", "https://shop.example.com/a"]]
    circles = [["Campaign", "Latitude", "Longitude", "Radius (miles)"], ["c1", *IQM_JOBS[separator]["geo-gps"]]]
    return [write_excel_csv(folder / f"{name}.csv", rows, separator=separator, encoding=ENCODINGS[separator])
            for name, rows in (("campaigns", campaigns), ("creatives", creatives), ("geo-gps", circles))]


@pytest.mark.parametrize("separator", [";", ","], ids=["semicolon-cp1252", "comma-utf8"])
def test_an_iqm_csv_jobs_results_pushed_again_keep_budgets_and_bids_and_send_nothing(iqm_server, tmp_path,  # noqa: F811
                                                                                     separator):
    out = tmp_path / "job" / "r.xlsx"  # beside the media files, which are named relative to the workbook
    code, output, summary = run("push", *iqm_job(tmp_path / "job", separator), "-p", "iqm", "--base-url",
                                iqm_server.base_url, "--quiet", "--json", "--skip-invalid", "-o", out)
    assert code == 0, output
    assert summary["counts"]["Campaigns"] == {"created": 1, "invalid": 1}
    [stored] = iqm_server.sandbox.iqm_campaigns()
    assert (stored["maxBid"], stored["budgetDay"], stored["budgetTotal"]) == (0.125, 50.0, 1500.0)
    assert cells_of(out, "Campaigns", "Max Bid") == [(0.125, "n"), (0.125, "n")]
    assert cells_of(out, "Campaigns", "Daily Budget") == [(50, "n"), ("50 €", "s")]
    assert cells_of(out, "Campaigns", "Total Budget") == [(1500, "n"), (1500, "n")]
    assert cells_of(out, "Campaigns", "Country ID") == [("30100001", "s"), ("30100001", "s")]  # an ID list: text

    iqm_server.sandbox.reset_request_log()
    result, summary = push_iqm(out, iqm_server.base_url, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "could be" not in result.output
    assert iqm_writes(iqm_server) == []
    assert summary["counts"]["Campaigns"] == {"unchanged": 1, "invalid": 1}
    assert summary["counts"]["Creatives"] == {"unchanged": 1}
    assert [(p["row"], p["column"], p["message"]) for p in summary["problems"] if p["severity"] == "error"] == [
        (3, "Daily Budget", "'50 €' is not a number (number expected)")]
    [again] = iqm_server.sandbox.iqm_campaigns()
    assert again == stored


# -- a job of several files of one kind ---------------------------------------------------------------

NORTH = [["Ref", "Name", "Type", "Advertiser Domain", "Daily Spend Limit"],
         ["n1", "Nord 1", "banner", "shop.example.com", "1.000"], ["n2", "Nord 2", "banner", "shop.example.com", "500"]]
SOUTH = [["Ref", "Name", "Type", "Advertiser Domain", "Daily Spend Limit"],
         ["s1", "Süd 1", "banner", "shop.example.com", "2.000"], ["s2", "Süd 2", "banner", "shop.example.com", "750"]]


@pytest.fixture
def refuses_sued_2_once(monkeypatch: pytest.MonkeyPatch):
    """A platform that refuses the create of campaign 'Süd 2' (as it would while an advertiser is
    under review), until `lift()` is called."""
    from bulkops.platforms.smartyads import sandbox as smartyads

    real = smartyads.validate_campaign

    def refusing(body: object, *, partial: bool):
        fields, errors = real(body, partial=partial)
        if not partial and isinstance(body, dict) and body.get("name") == "Süd 2":
            errors.add("name", "The advertiser is under review.")
        return fields, errors

    monkeypatch.setattr(smartyads, "validate_campaign", refusing)
    return lambda: monkeypatch.setattr(smartyads, "validate_campaign", real)


def summary_table(path: Path) -> list[list[object]]:
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path)["Summary"].iter_rows()]
    table = rows[[row[0] for row in rows].index("Sheet"):]
    header = table[0]
    return [[row[0], row[1], *({s: row[header.index(s)] for s in header[2:] if row[header.index(s)]}.items())]
            for row in table[1:]]


def test_two_csvs_of_one_kind_pushed_again_from_their_results_send_only_what_failed(env, server, tmp_path,
                                                                                   refuses_sued_2_once):
    paths = [write_excel_csv(tmp_path / "campaigns-north.csv", NORTH),
             write_excel_csv(tmp_path / "campaigns-south.csv", SOUTH)]
    out = tmp_path / "r.xlsx"
    code, output, summary = run("push", *paths, "--kind", "campaigns", "-p", "smartyads", "--base-url",
                                server.base_url, "--quiet", "--json", "-o", out)
    assert code == 1, output
    assert summary["counts"] == {"Campaigns": {"created": 2}, "Campaigns (2)": {"created": 1, "failed": 1}}
    assert openpyxl.load_workbook(out).sheetnames == ["Summary", "Campaigns", "Campaigns (2)"]
    assert summary_table(out) == [["Campaigns", "campaigns", ("created", 2), ("total", 2)],
                                  ["Campaigns (2)", "campaigns", ("created", 1), ("failed", 1), ("total", 2)]]
    first = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    assert set(first) == {"Nord 1", "Nord 2", "Süd 1"}

    refuses_sued_2_once()
    server.sandbox.reset_request_log()
    code, output, summary = run("push", out, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json")
    assert code == 0, output
    assert writes(server) == ["POST /api/campaigns"]  # Süd 2 alone
    assert summary["counts"] == {"Campaigns": {"unchanged": 2}, "Campaigns (2)": {"unchanged": 1, "created": 1}}
    stored = {c["name"]: (c["id"], c["spentDailyLimit"]) for c in server.sandbox.campaigns()}
    assert {name: at for name, (at, _) in stored.items() if name in first} == first  # none created twice
    assert {name: limit for name, (_, limit) in stored.items()} == {"Nord 1": 1000, "Nord 2": 500, "Süd 1": 2000,
                                                                    "Süd 2": 750}

    server.sandbox.reset_request_log()
    code, output, _ = run("push", out, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json")
    assert code == 0, output
    assert writes(server) == []

    # A sheet the buyer copies in Excel is named `Campaigns (3)`: not one bulkops wrote, so refused.
    book = openpyxl.load_workbook(out)
    book.copy_worksheet(book["Campaigns (2)"]).title = "Campaigns (3)"
    book.save(out)
    server.sandbox.reset_request_log()
    code, output, summary = run("push", out, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json",
                                "-o", tmp_path / "copied.xlsx")
    assert code == 2, output
    assert summary["sent"] is False and server.sandbox.request_log == []
    assert [(p["file"], p["sheet"], p["message"]) for p in summary["problems"]] == [
        ("r.xlsx", "Campaigns (3)", "sheet 'Campaigns (3)' is not read: did you mean 'Campaigns'? Move its rows into "
         "sheet 'Campaigns' to push them, or start its name with # to keep it out of the job")]


def test_two_geo_zip_csvs_pushed_again_from_their_results_send_nothing(env, server, tmp_path):
    code, output, _ = run("push", write_excel_csv(tmp_path / "campaigns.csv", NORTH), "-p", "smartyads",
                          "--base-url", server.base_url, "--quiet", "--json", "-o", tmp_path / "c.xlsx")
    assert code == 0, output
    ids = {c["name"]: c["id"] for c in server.sandbox.campaigns()}
    east = [["Campaign", "ZIP", "Country"], [ids["Nord 1"], "02134", "US"], [ids["Nord 1"], "10001", "US"]]
    west = [["Campaign", "ZIP", "Country"], [ids["Nord 2"], "94103", "US"]]
    paths = [write_excel_csv(tmp_path / "geo-zip-east.csv", east), write_excel_csv(tmp_path / "geo-zip-west.csv", west)]
    out = tmp_path / "r.xlsx"
    code, output, summary = run("push", *paths, "--kind", "geo-zip", "-p", "smartyads", "--base-url",
                                server.base_url, "--quiet", "--json", "-o", out)
    assert code == 0, output
    assert summary["counts"] == {"Geo ZIP": {"created": 2}, "Geo ZIP (2)": {"created": 1}}

    server.sandbox.reset_request_log()
    code, output, summary = run("push", out, "-p", "smartyads", "--base-url", server.base_url, "--quiet", "--json")
    assert code == 0, output
    assert writes(server) == []
    assert summary["counts"] == {"Geo ZIP": {"unchanged": 2}, "Geo ZIP (2)": {"unchanged": 1}}
    assert [z["zip"] for z in server.sandbox.campaign_zips(ids["Nord 1"])] == ["02134", "10001"]
    assert [z["zip"] for z in server.sandbox.campaign_zips(ids["Nord 2"])] == ["94103"]
