"""The platforms bulkops speaks to, one folder each (`smartyads/`, `iqm/`): a platform's client, kinds,
steps, live-state reader and sandbox, exposed as its `PLATFORM` object.

Generic code never imports these folders: it asks the registry (`bulkops.registry`), which loads a
platform by name when it is first asked for. docs/platforms.md explains the interface.
"""
