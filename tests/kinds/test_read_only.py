"""Read-only columns (`Column.read_only`): declared once in the kinds, written by an export, never sent
by a push; the header's note says so; and no column takes a name the results workbook writes itself."""

from __future__ import annotations

import pytest

from bulkops.io import MESSAGE_HEADER, PLAN_HEADER, STATUS_HEADER
from bulkops.kinds import ColType, Column, Kind, kind_names, kinds_for, payload_of
from bulkops.registry import platform_names

KIND = Kind("campaigns", "Campaigns", "test", (
    Column("Name", "name", ColType.TEXT, "Name."),
    Column("Running", "isRunning", ColType.BOOL, "Serving now.", read_only=True),
    Column("Active", "isActive", ColType.ACTIVE, "On or off.", read_only=True, refuse_change=True)))


def test_a_read_only_cell_is_never_in_a_payload():
    assert payload_of(KIND, {"name": "North", "isRunning": True, "isActive": False}) == {"name": "North"}
    assert [c.field for c in KIND.sent_fields] == ["name"]


def test_the_header_note_says_a_column_is_read_only_and_what_a_change_does():
    assert "Read-only: an export fills it and a push never sends it." in KIND.column("isRunning").header_note()
    assert "(a changed value fails the row)" in KIND.column("isActive").header_note()


@pytest.mark.parametrize("column", [
    lambda: Column("Active", "isActive", ColType.BOOL, "x", refuse_change=True),
    lambda: Column("Running", "isRunning", ColType.BOOL, "x", read_only=True, required=True)])
def test_a_column_declared_half_read_only_is_refused_at_import(column):
    with pytest.raises(ValueError):
        column()


def test_each_platforms_campaign_status_is_declared_read_only_where_the_platform_alone_sets_it():
    smartyads = {c.field: c for c in next(k for k in kinds_for("smartyads") if k.name == "campaigns").columns}
    assert {f for f, c in smartyads.items() if c.read_only} >= {"isActive", "isRunning", "extendedStatus"}
    assert smartyads["isActive"].refuse_change and not smartyads["isRunning"].refuse_change
    iqm = next(k for k in kinds_for("iqm") if k.name == "campaigns")
    assert not iqm.column("status").read_only  # paused and resumed through Update Campaign


def test_no_column_is_named_as_a_column_the_results_workbook_writes():
    assert kind_names()
    for platform in platform_names():
        for kind in kinds_for(platform):
            assert not {c.label for c in kind.columns} & {STATUS_HEADER, MESSAGE_HEADER, PLAN_HEADER}, kind.name
