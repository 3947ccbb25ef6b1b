"""The platforms bulkops speaks to, one folder each."""
