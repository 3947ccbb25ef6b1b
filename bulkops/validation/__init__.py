"""Validation: every cell read as its column's type and checked against the kind's declaration, then
the references between rows. `validate_sheets` takes sheets as any reader gives them (`SheetInput`)
and returns `ValidatedSheet`s, problems as records."""

from bulkops.validation._cells import validate_sheet, validate_sheets
from bulkops.validation._links import Parent, RefIndex, RowRef, check_links, parents_of, resolver
from bulkops.validation._lookups import LOOKUP, UNCHECKED, lookup_narrowing, lookup_values
from bulkops.validation._sheet import CREATE, DELETE, SKIP, UPDATE, SheetInput, ValidatedSheet, context_of

__all__ = ["CREATE", "DELETE", "SKIP", "UPDATE", "Parent", "RefIndex", "RowRef", "SheetInput", "ValidatedSheet",
           "check_links", "context_of",
           "LOOKUP", "UNCHECKED", "lookup_narrowing", "lookup_values", "parents_of", "resolver", "validate_sheet",
           "validate_sheets"]
