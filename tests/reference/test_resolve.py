"""Names to codes: codes and aliases pass, names (case, accents, spaces aside) become codes, unknown
values get suggestions, ambiguous names list their candidates and how to say which."""

from __future__ import annotations

from bulkops.reference import Ambiguous, Dictionary, Entry, Index, Resolved, Unknown


async def _never(client, scope):  # the index is given its entries; nothing is read
    raise AssertionError("not read")


COUNTRIES = Index(Dictionary("countries", _never, what="country"), [
    Entry("USA", "United States", aliases=("US",)),
    Entry("CAN", "Canada", aliases=("CA",)),
    Entry("CIV", "Côte d'Ivoire", aliases=("CI",)),
    Entry("DEU", "Germany", aliases=("DE",)),
])
CITIES = Index(Dictionary("cities", _never, what="city", parent="countries"), [
    Entry("4250542", "Springfield", "US-IL"),
    Entry("4951788", "Springfield", "US-MA"),
    Entry("4409896", "Springfield", "US-MO"),
    Entry("4930956", "Boston", "US-MA"),
    Entry("6077243", "Montréal", "CA-QC"),
], parents=COUNTRIES)


def test_a_code_passes_as_itself_in_any_case():
    assert COUNTRIES.resolve("USA") == Resolved("USA")
    assert COUNTRIES.resolve(" usa ") == Resolved("USA")


def test_an_alias_passes_as_its_code():
    assert COUNTRIES.resolve("US") == Resolved("USA")
    assert COUNTRIES.resolve("de") == Resolved("DEU")


def test_a_name_becomes_its_code_whatever_its_case_accents_and_spaces():
    assert COUNTRIES.resolve("United States") == Resolved("USA")
    assert COUNTRIES.resolve("  united   STATES ") == Resolved("USA")
    assert COUNTRIES.resolve("Cote d'Ivoire") == Resolved("CIV")
    assert CITIES.resolve("montreal") == Resolved("6077243")
    assert CITIES.resolve("Boston") == Resolved("4930956")


def test_an_unknown_value_gets_up_to_three_suggestions():
    found = COUNTRIES.resolve("USS")
    assert isinstance(found, Unknown)
    assert found.suggestions and found.suggestions[0] == "USA (United States)"
    assert len(found.suggestions) <= 3
    assert COUNTRIES.describe("USS", found).startswith(
        "'USS' is not a known country (did you mean 'USA (United States)'")
    assert COUNTRIES.resolve("Germnay") == Unknown(("Germany",))
    nothing = COUNTRIES.resolve("Atlantis")
    assert nothing == Unknown(()) and COUNTRIES.describe("Atlantis", nothing) == "'Atlantis' is not a known country"


def test_an_ambiguous_name_lists_the_candidates_with_their_parents_and_how_to_say_which():
    found = CITIES.resolve("Springfield")
    assert isinstance(found, Ambiguous)
    assert sorted(e.code for e in found.candidates) == ["4250542", "4409896", "4951788"]
    message = CITIES.describe("Springfield", found)
    assert "'Springfield' names 3 city entries" in message
    assert "Springfield (US-IL) = 4250542" in message and "Springfield (US-MO) = 4409896" in message
    assert "say which: write 'Springfield (US-IL)' or the code (4250542)" in message


def test_a_name_qualified_by_its_parent_resolves():
    assert CITIES.resolve("Springfield (US-IL)") == Resolved("4250542")
    assert CITIES.resolve("springfield (us-ma)") == Resolved("4951788")
    assert CITIES.resolve("Springfield, US-MO") == Resolved("4409896")
    assert isinstance(CITIES.resolve("Springfield (US-TX)"), Unknown)


# -- a row's narrowing column, exact spellings, lists numbered alike --------------------------------------------

LISTS = Index(Dictionary("audiences", _never, what="audience", taken_as_code="[0-9]+",
                         parent_of={"trade": "collect"}),
              [Entry("1", "Cart abandoners", "collect"), Entry("2", "Auto intenders", "collect"),
               Entry("3", "Sale", "collect"), Entry("4", "SALE", "collect"), Entry("7", "Twice", "collect"),
               Entry("8", "Twice", "collect"), Entry("1", "Auto intenders", "thirdParty"),
               Entry("2", "Frequent travellers", "thirdParty")])


def test_the_narrowing_value_keeps_only_the_entries_of_the_parent_it_selects():
    assert LISTS.resolve("Auto intenders", "thirdParty") == Resolved("1")
    assert LISTS.resolve("Auto intenders", "trade") == Resolved("2")  # parent_of: trade is among collect
    assert LISTS.resolve("Auto intenders", "collect").entry == Entry("2", "Auto intenders", "collect")
    assert isinstance(LISTS.resolve("Auto intenders"), Ambiguous)
    assert LISTS.resolve("Frequent travellers", "collect") == Unknown(())
    assert LISTS.resolve("Frequent travellers").entry.parent == "thirdParty"  # fills a blank narrowing cell


def test_the_entry_written_exactly_is_meant_among_names_alike_but_for_case():
    assert LISTS.resolve("SALE") == Resolved("4") and LISTS.resolve("Sale") == Resolved("3")
    assert isinstance(LISTS.resolve("sale"), Ambiguous)


def test_a_qualifier_is_offered_only_where_it_tells_the_candidates_apart():
    twice = LISTS.resolve("Twice")
    assert LISTS.describe("Twice", twice).endswith("say which: write the code (7)")
    shared = LISTS.resolve("Auto intenders")
    assert LISTS.describe("Auto intenders", shared).endswith("write 'Auto intenders (collect)' or the code (2)")
    assert LISTS.resolve("Auto intenders (thirdParty)") == Resolved("1")
