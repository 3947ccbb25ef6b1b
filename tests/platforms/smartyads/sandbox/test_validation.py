"""422 for every rule family, with Laravel's keys and wording. One sandbox for the module: these
tests only create, and each looks at its own answer."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import VALID

FREQ = {"frequency": True, "frequencyType": "user", "frequencyCap": 3, "frequencyPeriod": 1}


@pytest.mark.parametrize(("change", "key", "message"), [
    ({"type": None}, "type", "The type field is required."),
    ({"type": "billboard"}, "type", "The selected type is invalid."),
    ({"name": "   "}, "name", "The name field is required."),
    ({"name": 5}, "name", "The name field must be a string."),
    ({"name": "x" * 256}, "name", "The name field must not be greater than 255 characters."),
    ({"aDomain": None}, "aDomain", "The a domain field is required."),
    ({"isTablet": "yes"}, "isTablet", "The is tablet field must be true or false."),
    ({"isCTV": 1}, "isCTV", "The is CTV field must be true or false."),
    ({"OSIsInclude": None}, "OSIsInclude", "The OS is include field must be true or false."),
    ({"frequency": "true"}, "frequency", "The frequency field must be true or false."),
    ({"userAgeMin": -1}, "userAgeMin", "The user age min field must be at least 0."),
    ({"spentDailyLimit": "100"}, "spentDailyLimit", "The spent daily limit field must be an integer."),
    ({"clicksTotalLimit": 1.5}, "clicksTotalLimit", "The clicks total limit field must be an integer."),
    ({"impressionsDailyLimit": True}, "impressionsDailyLimit",
     "The impressions daily limit field must be an integer."),
    ({"userAgeMin": 50, "userAgeMax": 18}, "userAgeMax",
     "The user age max field must be greater than or equal to user age min."),
    ({"contentCategories": ["IAB1", "IAB99"]}, "contentCategories.1", "The selected content categories.1 is invalid."),
    ({"contentCategories": "IAB1"}, "contentCategories", "The content categories field must be an array."),
    ({"connectionTypes": ["6g"]}, "connectionTypes.0", "The selected connection types.0 is invalid."),
    ({"OS": ["iOS", "Android", "Windows 12"]}, "OS.2", "The selected OS.2 is invalid."),
    ({"browser": ["Netscape"]}, "browser.0", "The selected browser.0 is invalid."),
    ({"deviceLanguage": ["en", "xx"]}, "deviceLanguage.1", "The selected device language.1 is invalid."),
    ({"deviceCarrier": [7]}, "deviceCarrier.0", "The device carrier.0 field must be a string."),
    ({"geoCountries": ["USA", 840]}, "geoCountries.1", "The geo countries.1 field must be a string."),
    ({"geoCities": "5128581"}, "geoCities", "The geo cities field must be an array."),
    ({"budgetUse": "even"}, "budgetUse", "The selected budget use is invalid."),
    ({"dateStart": "05/08/2024"}, "dateStart", "The date start field must match the format Y-m-d."),
    ({"dateEnd": "2027-02-30"}, "dateEnd", "The date end field must match the format Y-m-d."),
    ({"dateStart": "2027-03-02", "dateEnd": "2027-03-01"}, "dateEnd",
     "The date end field must be a date after or equal to date start."),
    ({**FREQ, "frequencyType": None}, "frequencyType",
     "The frequency type field is required when frequency is true."),
    ({**FREQ, "frequencyType": "device"}, "frequencyType", "The selected frequency type is invalid."),
    ({**FREQ, "frequencyCap": 0}, "frequencyCap", "The frequency cap field must be at least 1."),
    ({**FREQ, "frequencyPeriod": 4}, "frequencyPeriod", "The frequency period field must be between 1 and 3."),
    ({**FREQ, "frequencyPeriod": 0}, "frequencyPeriod", "The frequency period field must be between 1 and 3."),
])
def test_each_rule_answers_422_under_its_key(client, change, key, message):
    body = {k: v for k, v in {**VALID, **change}.items() if v is not None or k not in VALID}
    answer = client.post("/api/campaigns", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json() == {"message": message, "errors": {key: [message]}}


def test_valid_edges_pass(client):
    body = {**VALID, **FREQ, "frequencyPeriod": 3, "userAgeMin": 30, "userAgeMax": 30, "dateStart": "2027-03-01",
            "dateEnd": "2027-03-01", "spentDailyLimit": 0, "OS": [], "name": "x" * 255}
    assert client.post("/api/campaigns", json=body).status_code == 200
    # Frequency fields are free when frequency is off.
    assert client.post("/api/campaigns", json={**VALID, "frequencyCap": 0, "frequencyPeriod": 9}).status_code == 200


def test_every_error_is_reported_and_summarised(client):
    answer = client.post("/api/campaigns", json={"type": "billboard", "OS": ["x", "y"], "frequency": True})
    body = answer.json()
    assert list(body["errors"]) == ["type", "name", "aDomain", "OS.0", "OS.1", "frequencyType", "frequencyCap",
                                    "frequencyPeriod"]
    assert body["message"] == "The selected type is invalid. (and 7 more errors)"


@pytest.mark.parametrize("raw", [b"[1, 2]", b"not json", b"", b'"text"'])
def test_a_body_that_is_not_an_object_counts_as_no_input(client, raw):
    answer = client.post("/api/campaigns", content=raw, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"type", "name", "aDomain"}


def test_patch_uses_the_create_rules_on_the_fields_it_takes(client):
    campaign_id = client.post("/api/campaigns", json=VALID).json()["data"]["id"]
    path = f"/api/campaigns/{campaign_id}"
    for body, key in (({"name": "n", "geoCountries": "USA"}, "geoCountries"),
                      ({"name": "n", "geoRegions": [5]}, "geoRegions.0"),
                      ({"name": "n", "geoCitiesIsInclude": "yes"}, "geoCitiesIsInclude"),
                      ({"name": "n", "frequency": True}, "frequencyCap"),
                      ({"name": "n", "frequencyType": "device"}, "frequencyType"),
                      ({"name": "t" * 256}, "name")):
        answer = client.patch(path, json=body)
        assert answer.status_code == 422 and key in answer.json()["errors"], body
    # Fields 11.4.1 does not list are not checked at all (nor kept): an invalid one changes nothing.
    answer = client.patch(path, json={"name": "n", "OS": ["Nope"], "type": "billboard", "userAgeMin": 40})
    assert answer.status_code == 200 and answer.json()["data"]["userAgeMin"] == VALID.get("userAgeMin", 0)
    assert client.get(path).json()["data"]["name"] == "n"
