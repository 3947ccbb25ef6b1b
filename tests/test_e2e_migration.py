"""A whole account moved into another with `export --media` and `push --as-new`, then the two accounts'
stored state compared field by field, through the sandboxes' stores.

Two sandboxes stand for the two accounts (each has the one built-in account; their base URLs differ, so
they are two accounts to bulkops, with a journal each). The comparison is generic: every kind the
store holds and every field of every object is compared, IDs mapped old → new and timestamps left
out, so a setting added to a kind is compared as soon as the sandbox stores it. What the comparison
has to know is declared once, below: which store kind an object kind is stored as, and which fields
hold another object's ID.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from bulkops._jobs import validate_files
from bulkops.cli import cli
from bulkops.sandbox import SandboxConfig, running
from tests.conftest import campaign
from tests.test_e2e_kinds import JOB, media  # noqa: F401 - media is a fixture
from tests.test_e2e_settings import _rules as make_rules

pytestmark = pytest.mark.slow

@dataclass(frozen=True)
class Stored:
    """What comparing one platform's stores has to know, declared once; everything else is compared."""

    entities: Mapping[str, str]  # the workbook's entity kind -> the store kind holding its objects
    # store kind -> the store kind whose IDs key it (a store kind not named: a campaign's list)
    keyed_by: Mapping[str, str]
    own_id: Mapping[str, str] = field(default_factory=dict)  # store kind -> its objects' ID field ("id")
    # Fields holding other objects' IDs, wherever they are (an int, a list, or IDs joined by commas).
    id_fields: Mapping[str, str] = field(default_factory=dict)
    objects: Mapping[str, str] = field(default_factory=dict)  # a dict under this key is an object of that kind
    id_lists: Mapping[str, str] = field(default_factory=dict)  # store kind -> the kind of the IDs in its `ids`
    # Text the platform writes quoting an object's ID (a pattern whose group 1 is the ID).
    quoted_ids: Mapping[re.Pattern[str], str] = field(default_factory=dict)
    # Not compared: when things happened, and names made per upload (the files are compared by content).
    ignored: frozenset[str] = frozenset()
    files: str = ""  # the store kind holding uploaded files' bytes (`data`), keyed by `files_of`'s IDs
    files_of: str = ""
    # Store kinds every account holds alike (the sandbox seeds them): the same IDs in both accounts.
    shared: frozenset[str] = frozenset()
    # Store kinds whose list items' `id` names a shared object (compared as it is, not left out).
    shared_items: frozenset[str] = frozenset()
    # Store kinds whose objects' own `id` is a number the platform gave the record and nothing names.
    unnamed: frozenset[str] = frozenset()


SMARTYADS = Stored(
    entities={"campaigns": "campaign", "creatives": "creative", "filter-lists": "filter_list"},
    keyed_by={"campaign": "campaign", "creative": "creative", "creative_extras": "creative",
              "filter_list": "filter_list", "filter_list_items": "filter_list", "media": "media",
              "media-bytes": "media", "audience": "audience", "third_party_audience": "third_party_audience",
              "contextual_target": "contextual_target", "optimization_rule": "optimization_rule"},
    id_fields={"campaignId": "campaign", "creativeId": "creative", "filterListId": "filter_list",
               "mediaId": "media", "smallImageId": "media", "largeImageId": "media",
               "cid": "campaign", "ruleId": "optimization_rule"},
    objects={"media": "media", "smallImage": "media", "largeImage": "media"},
    id_lists={"campaign_creatives": "creative", "campaign_filter_lists": "filter_list",
              "campaign_contextual": "contextual_target"},
    quoted_ids={re.compile(r'AdID="(\d+)"'): "creative"},  # a video creative's VAST names its creative
    ignored=frozenset({"originName"}),  # an export names the files it saves by their rows' Refs
    files="media-bytes", files_of="media",
    shared=frozenset({"audience", "third_party_audience", "contextual_target"}),
    shared_items=frozenset({"campaign_audiences"}),  # {"type", "id"}: an audience of either list
    unnamed=frozenset({"campaign_booster"}),  # the booster's record (10.2 answers it; no route takes its id)
)
IQM = Stored(
    entities={"campaigns": "campaign", "creatives": "iqm_creative"},
    keyed_by={"campaign": "campaign", "iqm_creative": "iqm_creative", "iqm_creative_file": "iqm_creative"},
    own_id={"iqm_creative": "creativeId"},
    id_fields={"creativeIds": "iqm_creative"},
    quoted_ids={re.compile(r"/creatives/\d+/(\d+)\."): "iqm_creative"},  # a file's URL names its creative
    # Times, and the file name the client makes for each upload.
    ignored=frozenset({"createdOn", "createDate", "modifiedDate", "_reviewAt", "_fileName"}),
)

Ids = dict[str, dict[int, int]]  # store kind -> new ID -> old ID


@pytest.fixture
def accounts() -> Iterator[tuple[Any, Any]]:
    with running(SandboxConfig()) as first, running(SandboxConfig()) as second:
        yield first, second


def _cli(*args: str, expect: int = 0) -> dict[str, Any]:
    result = CliRunner().invoke(cli, [*args, "--quiet", "--json"])
    assert result.exit_code == expect, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


# The seeded account holds every setting the sheets model beyond JOB's: the campaign settings (time
# targeting typed in a time zone, the booster, a rule by name, device vendors), geo typed as names,
# and audiences and contextual rules by title and by ID.
ACCOUNT_JOB = {
    **JOB,
    "campaigns": [
        campaign(ref="c1", name="North", timeTargeting="Mon-Fri 09:00-17:00; Sat 10:00-14:00", timeZone=-5,
                 ctrBooster=True, optimizationRule="Pause weak sources", deviceVendor="apple, samsung",
                 geoCountries="United States, Canada", geoRegions="California", geoCities="Boston (US-MA)"),
        campaign(ref="c2", name="South", type="native", timeTargeting="daily 22:00-02:00", ctrBooster=False,
                 optimizationRule="Keep winners", deviceVendor="xiaomi"),
    ],
    "audiences": [
        {"campaign": "c1", "audience": "Cart abandoners"},
        {"campaign": "c1", "audience": "Frequent travellers"},
        {"campaign": "c2", "audience": 3, "type": "trade"},
    ],
    "contextual": [
        {"campaign": "c1", "target": "Travel planning"},
        {"campaign": "c2", "target": "Fashion"},
        {"campaign": "c2", "target": "Tech gadgets"},
    ],
}
RULES = ("Pause weak sources", "Keep winners")  # the account's own (22.3), which no sheet creates


def _fill_what_no_answer_shows(path: Path, folder: Path, job: Mapping[str, Any] = JOB) -> None:
    """What SmartyAds' answers never show, so no export can carry: a creative's IAB categories, an
    HTML creative's archive (its media URL is the archive's index.html) and a campaign's device
    vendors (the export leaves them blank). The buyer types them in."""
    book = openpyxl.load_workbook(path)
    sheet = book["Creatives"]
    heads = [c.value for c in sheet[1]]
    typed = {c["name"]: c for c in job["creatives"]}
    for row in sheet.iter_rows(min_row=2):
        name = row[heads.index("Name")].value
        row[heads.index("IAB Categories")].value = typed[name]["categories"]
        if row[heads.index("Format")].value == "banner-html":
            row[heads.index("Media File")].value = str((folder / "rich.zip").relative_to(path.parent))
    sheet = book["Campaigns"]
    heads = [c.value for c in sheet[1]]
    typed = {c["name"]: c for c in job["campaigns"]}
    for row in sheet.iter_rows(min_row=2):
        assert row[heads.index("Device Vendors")].value is None  # no answer shows them
        row[heads.index("Device Vendors")].value = typed[row[heads.index("Name")].value].get("deviceVendor")
    book.save(path)


def test_a_smartyads_account_moved_with_export_media_and_push_as_new_holds_the_same_state(
        accounts, env, write_workbook, media, tmp_path):  # noqa: F811 - media is the fixture
    source, target = accounts
    # The rules are the account's: the buyer makes them in the new account first, under the same names
    # (here in another order, so that their IDs differ and only the names can carry the assignment).
    old_rules, new_rules = make_rules(source, *RULES), make_rules(target, *reversed(RULES))
    assert old_rules != new_rules
    seeded = _cli("push", str(write_workbook(ACCOUNT_JOB)), "-p", "smartyads", "--base-url", source.base_url,
                  "-o", str(tmp_path / "seed-results.xlsx"))
    assert seeded["exit_code"] == 0
    exported = _cli("export", "-p", "smartyads", "--base-url", source.base_url, "--media",
                    "-o", str(tmp_path / "a.xlsx"))
    assert exported["media"]["saved"] == 5 and not exported["media"]["not_saved"]  # the HTML archive is not given
    _fill_what_no_answer_shows(tmp_path / "a.xlsx", media, ACCOUNT_JOB)
    rules = {"optimization_rule": {new_rules[name]: old_rules[name] for name in RULES}}
    _move_and_compare("smartyads", SMARTYADS, source, target, tmp_path, known=rules)
    every_setting = {"campaign_time_targeting", "campaign_booster", "campaign_rule", "campaign_device_vendors",
                     "campaign_audiences", "campaign_contextual"}
    assert every_setting <= set(target.sandbox.store.dump())  # compared above, kind by kind


def test_an_iqm_account_moved_with_export_media_and_push_as_new_holds_the_same_state(monkeypatch, tmp_path):
    for name, value in IQM_ACCOUNT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    samples = tmp_path / "samples"
    shutil.copytree(SAMPLES, samples)
    config = SandboxConfig(platform="iqm", creative_review_s=0, media_origin=None)
    with running(config) as source, running(config) as target:
        seeded = _cli("push", str(samples / "iqm-launch.xlsx"), "-p", "iqm", "--base-url", source.base_url,
                      "-o", str(tmp_path / "seed-results.xlsx"), expect=1)  # the sample's [reject] creative fails
        assert seeded["counts"]["Creatives"] == {"created": 3, "failed": 1}
        exported = _cli("export", "-p", "iqm", "--base-url", source.base_url, "--media", "-o", str(tmp_path / "a.xlsx"))
        assert exported["media"]["saved"] == 3 and not exported["media"]["not_saved"]
        _move_and_compare("iqm", IQM, source, target, tmp_path, expect=1)
        # As CSVs, the files go inside the folder, and the job reads as new with every file found.
        _cli("export", "-p", "iqm", "--base-url", source.base_url, "--media", "--csv", "-o", str(tmp_path / "csv"))
        assert sorted(p.name for p in (tmp_path / "csv" / "media").iterdir()) == [
            "creative-1.png", "creative-2.png", "creative-4.png"]
        report = validate_files(sorted((tmp_path / "csv").glob("*.csv")), "iqm", as_new=True)
        assert report.ok, [p.render() for p in report.errors]


SAMPLES = Path(__file__).resolve().parent.parent / "samples"
IQM_ACCOUNT = {"BULKOPS_IQM_CLIENT_ID": "sandbox-client", "BULKOPS_IQM_CLIENT_SECRET": "sandbox-secret",
               "BULKOPS_IQM_EMAIL": "demo@bulkops.test", "BULKOPS_IQM_PASSWORD": "sandbox",
               "BULKOPS_IQM_HOST": "sandbox.bulkops.test"}


def _move_and_compare(platform: str, stored: Stored, source: Any, target: Any, tmp_path: Path, expect: int = 0,
                      known: Ids | None = None) -> None:
    """Push the export as new into the empty target (`known`: new → old of what the target held
    already), compare both stores; push it again (as a stopped run is finished): the journal knows
    every row by its old ID, so nothing is created twice and what the lists hold already is not sent
    again."""
    _cli("push", str(tmp_path / "a.xlsx"), "-p", platform, "--base-url", target.base_url, "--as-new",
                 "-o", str(tmp_path / "b-results.xlsx"), expect=expect)
    ids = {**_ids_from_results(tmp_path / "b-results.xlsx", stored), **(known or {})}
    assert all(ids.get(kind) for kind in stored.entities.values()), ids
    comparison = Comparison(stored, source.base_url, target.base_url)
    comparison.assert_same(source.sandbox.store.dump(), target.sandbox.store.dump(), ids)

    logged = len(target.sandbox.request_log)
    again = _cli("push", str(tmp_path / "a.xlsx"), "-p", platform, "--base-url", target.base_url, "--as-new",
                 "-o", str(tmp_path / "b-again.xlsx"), expect=expect)
    # Writes: not a read (GET, or IQM's listings, which are POSTs to .../list), not a login.
    writes = [f"{r.method} {r.path}" for r in target.sandbox.request_log[logged:]
              if r.method != "GET" and not r.path.endswith(("/list", "login", "token"))]
    assert writes == [], (again, writes)
    comparison.assert_same(source.sandbox.store.dump(), target.sandbox.store.dump(), ids)


def _ids_from_results(path: Path, stored: Stored) -> Ids:
    """new → old per store kind, read from the results workbook: the ID column holds the new ID, the
    Old ID column beside it the old one."""
    book = openpyxl.load_workbook(path)
    ids: Ids = {}
    for kind, store_kind in stored.entities.items():
        sheet = book[next(title for title in book.sheetnames if title.lower().replace(" ", "-") == kind)]
        heads = [c.value for c in sheet[1]]
        assert heads.index("Old ID") == heads.index("ID") + 1, heads
        for row in sheet.iter_rows(min_row=2, values_only=True):
            old = row[heads.index("Old ID")]
            assert isinstance(old, int), row
            ids.setdefault(store_kind, {})[int(row[heads.index("ID")])] = old
    return ids


@dataclass
class Comparison:
    stored: Stored
    source_url: str
    target_url: str
    ids: Ids = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)  # text in the target → the same in the source

    def assert_same(self, before: Mapping[str, dict[int, Any]], after: Mapping[str, dict[int, Any]],
                    ids: Ids) -> None:
        same = {kind: {key: key for key in after.get(kind, {})} for kind in self.stored.shared}
        self.ids = {**ids, **self._files_by_bytes(before, after, ids), **same}
        self.renamed = {self.target_url: self.source_url, **self._file_names(before, after)}
        assert set(before) == set(after), set(before) ^ set(after)
        for kind in sorted(before):
            keyed_by = self.stored.keyed_by.get(kind, "campaign")
            old = {key: self._normal(body, kind, mapped=False) for key, body in before[kind].items()}
            new = {self.ids[keyed_by][key]: self._normal(body, kind) for key, body in after[kind].items()}
            for key in old:
                assert new.get(key) == old[key], (kind, key, _differences(old[key], new.get(key)))
            assert new.keys() == old.keys(), kind

    def _files_by_bytes(self, before: Mapping[str, dict[int, Any]], after: Mapping[str, dict[int, Any]],
                        ids: Ids) -> Ids:
        """new → old of uploaded files no workbook row names (SmartyAds' media): the same bytes."""
        files, of = self.stored.files, self.stored.files_of
        if not files or of in ids:
            return {}
        old_by_bytes = {body["data"]: key for key, body in before.get(files, {}).items()}
        return {of: {key: old_by_bytes[body["data"]] for key, body in after.get(files, {}).items()}}

    def _file_names(self, before: Mapping[str, dict[int, Any]], after: Mapping[str, dict[int, Any]]) -> dict[str, str]:
        """A new file's stored name and URL → the old one's, so that text quoting them (an image's
        admBody) compares."""
        renamed: dict[str, str] = {}
        of = self.stored.files_of
        for key, body in after.get(of, {}).items() if of else ():
            old = before[of][self.ids[of][key]]
            renamed.update({body[k]: old[k] for k in ("url", "name") if k in body})
        return renamed

    def _normal(self, value: Any, kind: str, key: str | None = None, mapped: bool = True) -> Any:
        """The value in the source account's terms: IDs mapped (`mapped`: a value of the target), names
        renamed, timestamps and ignored fields dropped, list items' own IDs left out."""
        stored = self.stored
        if isinstance(value, dict):
            # The object's own ID (at the top, or an object under a key of `objects`); list items' are left out.
            own = stored.objects.get(key or "") or (stored.keyed_by.get(kind, "campaign") if key is None else None)
            own = None if key is None and kind in stored.unnamed else own
            own_id = stored.own_id.get(kind, "id") if key is None else "id"
            kept_id = key is not None and kind in stored.shared_items  # an item naming a shared object
            return {k: self._id(v, own, mapped) if k == own_id and own else self._normal(v, kind, k, mapped)
                    for k, v in value.items() if not k.endswith("At") and k not in stored.ignored
                    and not (k == "id" and not own and not kept_id)}
        if isinstance(value, list):
            if key == "ids" and kind in stored.id_lists:
                return sorted(self._id(v, stored.id_lists[kind], mapped) for v in value)
            return [self._normal(v, kind, key if key in stored.objects else "", mapped) for v in value]
        if key in stored.id_fields and isinstance(value, int):
            return self._id(value, stored.id_fields[key], mapped)
        if key in stored.id_fields and isinstance(value, str) and re.fullmatch(r"\d+(,\d+)*", value):
            return sorted(self._id(int(v), stored.id_fields[key], mapped) for v in value.split(","))
        if isinstance(value, str) and mapped:
            for new, old in sorted(self.renamed.items(), key=lambda pair: -len(pair[0])):
                value = value.replace(new, old)
        if isinstance(value, str):
            for pattern, quoted in stored.quoted_ids.items():
                value = pattern.sub(lambda found, q=quoted: found[0].replace(
                    found[1], str(self._id(int(found[1]), q, mapped))), value)
        return value

    def _id(self, value: Any, kind: str | None, mapped: bool) -> Any:
        if kind is None or not mapped or value is None:
            return value
        return self.ids[kind][value]


def _differences(old: Any, new: Any, at: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        return [d for k in old.keys() | new.keys() for d in _differences(old.get(k), new.get(k), f"{at}.{k}")]
    return [] if old == new else [f"{at}: {old!r} → {new!r}"]


def test_push_as_new_into_an_account_without_the_rule_sends_nothing_and_names_it(accounts, env, write_workbook,
                                                                                tmp_path):
    """Optimization rules are the account's (22.3 makes them; no sheet does): an export names a campaign's
    rule by name, and the account pushed to must hold a rule of that name. Where it does not, the push
    is refused before any write (the row invalid, the job not sent), naming the rule and the closest
    names the account has."""
    source, target = accounts
    make_rules(source, "Pause weak sources")
    make_rules(target, "Pause weak source")  # close, not the same
    job = {"campaigns": [campaign(ref="c1", name="North", optimizationRule="Pause weak sources", ctrBooster=True)],
           "geo-zip": [{"campaign": "c1", "zip": "02134", "iso2": "US"}]}
    _cli("push", str(write_workbook(job)), "-p", "smartyads", "--base-url", source.base_url,
         "-o", str(tmp_path / "seed-results.xlsx"))
    _cli("export", "-p", "smartyads", "--base-url", source.base_url, "-o", str(tmp_path / "a.xlsx"))
    assert openpyxl.load_workbook(tmp_path / "a.xlsx")["Campaigns"]["A1"].value == "Ref"
    logged = len(target.sandbox.request_log)
    result = CliRunner().invoke(cli, ["push", str(tmp_path / "a.xlsx"), "-p", "smartyads", "--base-url",
                                      target.base_url, "--as-new", "-o", str(tmp_path / "b-results.xlsx"), "--quiet"])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output  # no traceback
    rows = _rows(tmp_path / "b-results.xlsx", "Campaigns") + _rows(tmp_path / "b-results.xlsx", "Geo ZIP")
    assert [r["Status"] for r in rows] == ["invalid", "not run"] and rows[0]["ID"] is None  # nothing made
    assert ("'Pause weak sources' is not a known optimization rule (did you mean 'Pause weak source'?)"
            in rows[0]["Message"])
    sent = [f"{r.method} {r.path}" for r in target.sandbox.request_log[logged:]]
    assert sent == ["POST /api/users/login", "GET /api/optimization-rule"], sent  # the login and the rules' read
    assert target.sandbox.campaigns() == []


def _rows(path: Path, title: str) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(path)[title]
    heads = [c.value for c in sheet[1]]
    return [dict(zip(heads, row, strict=False)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_device_vendors_not_typed_into_the_export_are_not_carried_and_cannot_be_added_later(
        accounts, env, write_workbook, tmp_path):
    """No SmartyAds answer shows a campaign's device vendors, and only its create takes them: an export
    leaves the column blank, the campaign moved from it has none, and a push that types them afterwards
    only warns."""
    source, target = accounts
    job = {"campaigns": [campaign(ref="c1", name="North", deviceVendor="apple, samsung")]}
    _cli("push", str(write_workbook(job)), "-p", "smartyads", "--base-url", source.base_url,
         "-o", str(tmp_path / "seed-results.xlsx"))
    [old] = source.sandbox.campaigns()
    assert source.sandbox.campaign_device_vendors(old["id"]) == ["apple", "samsung"]
    _cli("export", "-p", "smartyads", "--base-url", source.base_url, "-o", str(tmp_path / "a.xlsx"))
    [exported] = _rows(tmp_path / "a.xlsx", "Campaigns")
    assert exported["Device Vendors"] is None
    _cli("push", str(tmp_path / "a.xlsx"), "-p", "smartyads", "--base-url", target.base_url, "--as-new",
         "-o", str(tmp_path / "b-results.xlsx"))
    [new] = target.sandbox.campaigns()
    assert target.sandbox.campaign_device_vendors(new["id"]) == []

    book = openpyxl.load_workbook(tmp_path / "b-results.xlsx")  # the new account's job, vendors typed late
    sheet = book["Campaigns"]
    heads = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=heads.index("Device Vendors") + 1, value="apple, samsung")
    book.save(tmp_path / "late.xlsx")
    logged = len(target.sandbox.request_log)
    _cli("push", str(tmp_path / "late.xlsx"), "-p", "smartyads", "--base-url", target.base_url,
         "-o", str(tmp_path / "late-results.xlsx"))
    [late] = _rows(tmp_path / "late-results.xlsx", "Campaigns")
    assert "Device Vendors is sent only when a campaign is created" in late["Message"], late
    assert [r for r in target.sandbox.request_log[logged:] if r.method != "GET" and not r.path.endswith("login")] == []
    assert target.sandbox.campaign_device_vendors(new["id"]) == []
