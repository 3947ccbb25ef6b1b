"""The platforms bulkops speaks to, one folder each: a platform's client, kinds, steps, live-state
reader and sandbox, exposed as the `PLATFORM` object of its `platform.py`.

Generic code never imports these folders: it asks the registry (`bulkops.registry`), which reads the
list below and loads a platform by name when it is first asked for. This module imports nothing.
docs/platforms.md explains the interface.
"""

# The registered platforms: name → the package holding its folder, in the order the CLI lists them.
# Adding a platform: a new folder here, and one line in this list.
PACKAGES: dict[str, str] = {
    "smartyads": "bulkops.platforms.smartyads",
    "iqm": "bulkops.platforms.iqm",
}
