"""17.4, 20 and 21: filter list files, filter lists, and their assignment to campaigns."""

from __future__ import annotations

import re

import httpx
import pytest

from bulkops.sandbox import CAMPAIGN, SandboxConfig, running
from tests.sandbox.conftest import create, login

pytestmark = pytest.mark.slow

IPS = ["31.172.51.49", "208.216.148.181", "127.202.158.229", "242.76.248.251", "10.175.11.90"]
EXAMPLE = {"title": "Test Filter list #5", "type": "ipAdresses", "isInclude": True, "items": IPS,
           "fileName": None}  # 20.3.2's request, verbatim
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _upload(http: httpx.Client, auth: dict, content: bytes, name: str = "test-filter.csv") -> httpx.Response:
    return http.post("/api/parsefile", files={"file": (name, content, "text/csv")}, headers=auth)


def _new_list(http: httpx.Client, auth: dict, **fields: object) -> dict:
    answer = http.post("/api/filterlist", json={**EXAMPLE, **fields}, headers=auth)
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


# --- 17.4. parsefile -------------------------------------------------------------------------------

def test_parsefile_reads_one_item_per_line_and_remembers_the_file(server, http, auth):
    content = b'\xef\xbb\xbfa.example.com\r\n\r\n  b.example.com  \nc.example.com,a comment\n"d.example.com",x\n   \n'
    answer = _upload(http, auth, content)
    assert answer.status_code == 200
    body = answer.json()
    assert re.fullmatch(r"\d{10}_test-filter\.csv", body["fileName"])
    assert body == {"message": "success", "items": ["a.example.com", "b.example.com", "c.example.com",
                                                    "d.example.com"],
                    "fileName": body["fileName"], "countItems": 4}
    # Each upload gets its own name, even in the same second and under the same client name.
    again = _upload(http, auth, b"e.example.com\n").json()
    assert again["fileName"] != body["fileName"] and again["fileName"].endswith("_test-filter.csv")
    odd = _upload(http, auth, b"x.com", name="../my lists/Q3 list.txt").json()
    assert re.fullmatch(r"\d{10}_Q3_list\.txt", odd["fileName"]) and odd["items"] == ["x.com"]


@pytest.mark.parametrize(("send", "message"), [
    ({"json": {"file": "a.com"}}, "The file field is required."),
    ({"files": {"other": ("x.csv", b"a.com")}}, "The file field is required."),
    ({"data": {"file": "a.com"}, "files": {"other": ("x.csv", b"")}}, "The file field must be a file."),
])
def test_parsefile_needs_a_file(client, send, message):
    answer = client.post("/api/parsefile", **send)
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {"file": [message]}}


# --- 20. Filter lists ------------------------------------------------------------------------------

def test_create_get_and_list_answer_the_document_shapes(server, http, auth):
    answer = http.post("/api/filterlist", json=EXAMPLE, headers=auth)
    assert answer.status_code == 200
    created = answer.json()
    stamp = created["data"]["createdAt"]
    assert DATETIME.fullmatch(stamp)
    assert created == {"message": "Created", "data": {
        "id": 1, "userId": 18, "isInclude": True, "listCount": 5, "title": "Test Filter list #5",
        "type": "ipAdresses", "createdAt": stamp, "updatedAt": stamp}}
    assert list(created["data"]) == ["id", "userId", "isInclude", "listCount", "title", "type", "createdAt",
                                     "updatedAt"]
    full = {"id": 1, "userId": 18, "isInclude": True, "title": "Test Filter list #5", "items": IPS,
            "type": "ipAdresses", "createdAt": stamp, "updatedAt": stamp}
    got = http.get("/api/filterlist/1", headers=auth).json()
    assert got == {"data": full} and list(got["data"]) == list(full)  # 20.2.4's order
    assert server.sandbox.filter_lists() == [full]
    listed = http.get("/api/filterlist", headers=auth).json()
    assert listed == {"data": [{k: v for k, v in full.items() if k != "items"}], "meta": {"pagination": {
        "total": 1, "count": 1, "per_page": 15, "current_page": 1, "total_pages": 1, "links": []}}}


def test_items_are_trimmed_and_kept_once_in_first_seen_order(server, http, auth):
    data = _new_list(http, auth, type="domain", isInclude=False,
                     items=["b.example.com", " a.example.com ", "b.example.com", "a.example.com", "c.example.com"])
    assert data["listCount"] == 3 and data["isInclude"] is False
    assert server.sandbox.filter_lists()[0]["items"] == ["b.example.com", "a.example.com", "c.example.com"]


def test_create_from_a_parsed_file(server, http, auth):
    parsed = _upload(http, auth, b"news.example.com\nshop.example.com\nnews.example.com\n").json()
    data = _new_list(http, auth, type="domain", items=None, fileName=parsed["fileName"])
    assert data["listCount"] == 2
    # Inline items come first, then the file's; a stored file may be used again.
    both = _new_list(http, auth, type="domain", items=["a.example.com", "shop.example.com"],
                     fileName=parsed["fileName"])
    assert both["listCount"] == 3
    assert [f["items"] for f in server.sandbox.filter_lists()] == [
        ["news.example.com", "shop.example.com"], ["a.example.com", "shop.example.com", "news.example.com"]]


def test_the_item_cap_is_for_inline_items_a_file_carries_any_length():
    with running(SandboxConfig(max_items_per_request=3)) as srv, httpx.Client(base_url=srv.base_url) as http:
        auth = login(http)
        refused = http.post("/api/filterlist", json={**EXAMPLE, "items": IPS[:4]}, headers=auth)
        message = "The items field must not have more than 3 items."
        assert refused.status_code == 422 and refused.json() == {"message": message, "errors": {"items": [message]}}
        parsed = _upload(http, auth, "\n".join(IPS).encode()).json()
        data = _new_list(http, auth, items=None, fileName=parsed["fileName"])
        assert data["listCount"] == 5
        refused = http.put(f"/api/filterlist/{data['id']}", json={"items": IPS[:4]}, headers=auth)
        assert refused.json()["errors"] == {"items": [message]}
        assert srv.sandbox.filter_lists()[0]["items"] == IPS


@pytest.mark.parametrize(("change", "key", "message"), [
    ({"title": None}, "title", "The title field is required."),
    ({"title": "  "}, "title", "The title field is required."),
    ({"title": 5}, "title", "The title field must be a string."),
    ({"title": "t" * 256}, "title", "The title field must not be greater than 255 characters."),
    ({"type": None}, "type", "The type field is required."),
    ({"type": "ipAddresses"}, "type", "The selected type is invalid."),
    ({"isInclude": None}, "isInclude", "The is include field is required."),
    ({"isInclude": "true"}, "isInclude", "The is include field must be true or false."),
    ({"items": None}, "items", "The items field is required when file name is not present."),
    ({"items": []}, "items", "The items field is required when file name is not present."),
    ({"items": "31.172.51.49"}, "items", "The items field must be an array."),
    ({"fileName": "1770914098_never-uploaded.csv"}, "fileName", "The selected file name is invalid."),
    ({"fileName": 7}, "fileName", "The file name field must be a string."),
    ({"items": ["1.2.3.4", 5]}, "items.1", "The items.1 field must be a string."),
    ({"items": ["1.2.3.4", " "]}, "items.1", "The items.1 field is required."),
])
def test_each_create_rule(client, change, key, message):
    answer = client.post("/api/filterlist", json={**EXAMPLE, **change})
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {key: [message]}}


@pytest.mark.parametrize(("list_type", "items"), [
    ("domain", ["news.example.com", "*.example.co.uk", "-x.org", "=evil()", "news example.com"]),
    ("urls", ["https://schroeder.info/itaque.html", "ftp://x.example.com/", "not a url"]),
    ("ipAdresses", ["10.0.0.0/8", "2001:db8::1", "999.1.1.1"]),
    ("deviceIfas", ["6D92078A-8246-4BA4-AE5B-76104861E7DC", "not-an-ifa"]),
    ("bundles", ["com.example.app", "id1234567890", "bundle"]),
    ("apps", ["app-1", "my app"]), ("publishers", ["pub_1"]), ("siteAndAppsIds", ["site-9"]), ("tagIds", ["tag 1"]),
])
def test_items_are_strings_of_any_shape_whatever_the_type(client, list_type, items):
    # 20.3.1 gives an item as a string and no syntax by type: the platform keeps what it is given.
    answer = client.post("/api/filterlist", json={**EXAMPLE, "type": list_type, "items": items})
    assert answer.status_code == 200 and answer.json()["data"]["listCount"] == len(items)
    assert client.get(f"/api/filterlist/{answer.json()['data']['id']}").json()["data"]["items"] == items


def test_a_files_items_are_kept_as_they_are(client):
    parsed = client.post("/api/parsefile", files={"file": ("f.csv", b"1.2.3.4\nnot-an-ip\n")}).json()
    answer = client.post("/api/filterlist", json={**EXAMPLE, "items": ["5.6.7.8"], "fileName": parsed["fileName"]})
    assert answer.status_code == 200 and answer.json()["data"]["listCount"] == 3
    got = client.get(f"/api/filterlist/{answer.json()['data']['id']}").json()["data"]
    assert got["items"] == ["5.6.7.8", "1.2.3.4", "not-an-ip"]


def test_put_replaces_items_and_changes_what_it_carries(server, http, auth):
    created = _new_list(http, auth, title="Test FilterList #7", type="urls",
                        items=["http://old.example.com/", "http://bailey.com/"])
    list_id = created["id"]
    urls = ["https://schroeder.info/itaque-illo-ullam-eveniet-sit-est-sunt-culpa-enim.html", "http://bailey.com/",
            "http://www.wiza.biz/"]
    answer = http.put(f"/api/filterlist/{list_id}",
                      json={"title": "Renamed", "isInclude": False, "items": urls, "fileName": None, "type": "domain"},
                      headers=auth)
    assert answer.status_code == 200
    updated = answer.json()
    assert updated == {"message": "Updated", "data": {
        "id": list_id, "userId": 18, "isInclude": False, "listCount": 3, "title": "Renamed", "type": "urls",
        "createdAt": created["createdAt"], "updatedAt": updated["data"]["updatedAt"]}}
    assert server.sandbox.filter_lists()[0]["items"] == urls
    # Title and isInclude change only when sent; the items are replaced by what is sent, by PUT or PATCH.
    parsed = _upload(http, auth, b"http://from.file.example/\n").json()
    assert http.patch(f"/api/filterlist/{list_id}", json={"fileName": parsed["fileName"]},
                      headers=auth).json()["data"]["listCount"] == 1
    stored = server.sandbox.filter_lists()[0]
    assert (stored["title"], stored["isInclude"], stored["items"]) == ("Renamed", False, ["http://from.file.example/"])
    # The update replaces the list: without items or a file it is left empty.
    assert http.put(f"/api/filterlist/{list_id}", json={"title": "Empty"}, headers=auth).json()["data"][
        "listCount"] == 0
    assert server.sandbox.filter_lists()[0]["items"] == []


@pytest.mark.parametrize(("body", "key", "message"), [
    ({"items": ["http://ok.example/", ["nested"]]}, "items.1", "The items.1 field must be a string."),
    ({"title": None, "items": []}, "title", "The title field must be a string."),
    ({"isInclude": "no", "items": []}, "isInclude", "The is include field must be true or false."),
    ({"fileName": "nope.csv"}, "fileName", "The selected file name is invalid."),
])
def test_each_update_rule_and_nothing_changes(server, http, auth, body, key, message):
    list_id = _new_list(http, auth, type="urls", items=["http://keep.example/"])["id"]
    answer = http.put(f"/api/filterlist/{list_id}", json=body, headers=auth)
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {key: [message]}}
    assert server.sandbox.filter_lists()[0]["items"] == ["http://keep.example/"]


def test_delete_is_soft(server, http, auth):
    kept, gone = _new_list(http, auth)["id"], _new_list(http, auth)["id"]
    answer = http.delete(f"/api/filterlist/{gone}", headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Deleted", "deleted": True}
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        missing = http.request(method, f"/api/filterlist/{gone}", json={"items": IPS}, headers=auth)
        assert missing.status_code == 404
        assert missing.json() == {"message": f"No query results for model [FilterList] {gone}"}
    assert [f["id"] for f in http.get("/api/filterlist", headers=auth).json()["data"]] == [kept]
    assert [f["id"] for f in server.sandbox.filter_lists()] == [kept]
    assert [f["id"] for f in server.sandbox.filter_lists(include_deleted=True)] == [kept, gone]
    assert _new_list(http, auth)["id"] == gone + 1  # ids are not reused


def test_another_users_list_is_missing(server, http, auth):
    foreign = server.sandbox.store.create("filter_list", "99", lambda new_id: {"id": new_id, "userId": 99})["id"]
    assert http.get(f"/api/filterlist/{foreign}", headers=auth).status_code == 404
    assert http.get("/api/filterlist/abc", headers=auth).json() == {"message": "No query results for model "
                                                                               "[FilterList] abc"}
    assert http.get("/api/filterlist", headers=auth).json()["data"] == []


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/filterlist"), ("POST", "/api/filterlist"),
                                              ("GET", "/api/filterlist/1"), ("PUT", "/api/filterlist/1"),
                                              ("DELETE", "/api/filterlist/1"), ("POST", "/api/parsefile"),
                                              ("GET", "/api/campaigns/1/filterlists")])
def test_routes_need_a_token(http, method, path):
    answer = http.request(method, path)
    assert answer.status_code == 401 and answer.json() == {"message": "Unauthenticated."}


# --- 21. Assignment to campaigns -------------------------------------------------------------------

def test_assignment_is_a_set_replaced_by_post_and_shrunk_by_delete(server, http, auth):
    campaign = create(http, auth)["id"]
    first, second, third = (_new_list(http, auth, title=f"Test Filter list #{n}")["id"] for n in (1, 2, 3))
    url = f"/api/campaigns/{campaign}/filterlists"
    answer = http.post(url, json={"items": [{"id": third}, {"id": first}, {"id": third}]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Replaced."}
    assert server.sandbox.campaign_filter_list_ids(campaign) == [first, third]
    assert http.get(url, headers=auth).json() == {
        "data": [{"filterList": {"id": first, "title": "Test Filter list #1", "items": []}},
                 {"filterList": {"id": third, "title": "Test Filter list #3", "items": []}}],
        "meta": {"pagination": {"total": 2, "count": 2, "per_page": 15, "current_page": 1, "total_pages": 1,
                                "links": []}}}
    assert http.post(url, json={"items": [{"id": second}, {"id": first}]}, headers=auth).status_code == 200
    assert server.sandbox.campaign_filter_list_ids(campaign) == [first, second]
    # Removing a list that is not assigned (but exists) changes nothing.
    answer = http.request("DELETE", url, json={"ids": [second, third]}, headers=auth)
    assert answer.status_code == 200 and answer.json() == {"message": "Deleted."}
    assert server.sandbox.campaign_filter_list_ids(campaign) == [first]
    assert server.sandbox.campaign_filter_list_ids(campaign + 1) == []


def test_assigned_list_deleted_later_is_not_answered(server, http, auth):
    campaign = create(http, auth)["id"]
    ids = [_new_list(http, auth, title=f"L{n}")["id"] for n in range(17)]
    url = f"/api/campaigns/{campaign}/filterlists"
    assert http.post(url, json={"items": [{"id": i} for i in ids]}, headers=auth).status_code == 200
    page = http.get(url, params={"page": 2}, headers=auth).json()
    assert [r["filterList"]["id"] for r in page["data"]] == ids[15:]
    assert "page=1" in page["meta"]["pagination"]["links"]["previous"]
    assert http.delete(f"/api/filterlist/{ids[0]}", headers=auth).status_code == 200
    assert http.get(url, headers=auth).json()["meta"]["pagination"]["total"] == 16
    assert server.sandbox.campaign_filter_list_ids(campaign) == ids  # the stored set keeps it until replaced
    refused = http.post(url, json={"items": [{"id": ids[0]}]}, headers=auth)
    assert refused.json()["errors"] == {"items.0.id": ["The selected items.0.id is invalid."]}


@pytest.mark.parametrize(("method", "body", "key", "message"), [
    ("POST", {}, "items", "The items field is required."),
    ("POST", {"items": [4]}, "items.0.id", "The items.0.id field is required."),
    ("POST", {"items": [{"id": "1"}]}, "items.0.id", "The items.0.id field must be an integer."),
    ("POST", {"items": [{"id": 4040}]}, "items.0.id", "The selected items.0.id is invalid."),
    ("DELETE", {}, "ids", "The ids field is required."),
    ("DELETE", {"ids": 1}, "ids", "The ids field must be an array."),
    ("DELETE", {"ids": [True]}, "ids.0", "The ids.0 field must be an integer."),
    ("DELETE", {"ids": [4040]}, "ids.0", "The selected ids.0 is invalid."),
])
def test_each_assignment_rule(client, method, body, key, message):
    campaign = client.post("/api/campaigns", json={"type": "banner", "name": "F", "aDomain": "f.com"}).json()
    answer = client.request(method, f"/api/campaigns/{campaign['data']['id']}/filterlists", json=body)
    assert answer.status_code == 422 and answer.json() == {"message": message, "errors": {key: [message]}}


def test_assignment_cap_and_missing_campaigns(server, http, auth):
    list_id = _new_list(http, auth)["id"]
    campaign = create(http, auth)["id"]
    answer = http.post(f"/api/campaigns/{campaign}/filterlists", json={"items": [{"id": list_id}] * 1001},
                       headers=auth)
    assert answer.json()["errors"] == {"items": ["The items field must not have more than 1000 items."]}
    foreign = server.sandbox.store.create(CAMPAIGN, "99", lambda new_id: {"id": new_id, "userId": 99})["id"]
    assert http.delete(f"/api/campaigns/{campaign}", headers=auth).status_code == 200
    for target in (campaign, foreign, 999):
        for method in ("GET", "POST", "DELETE"):
            answer = http.request(method, f"/api/campaigns/{target}/filterlists", json={"items": "x"}, headers=auth)
            assert answer.status_code == 404
            assert answer.json() == {"message": f"No query results for model [Campaign] {target}"}
