"""The registered platforms: name → the package holding its folder, in the order the CLI lists them.

The one module outside `bulkops/platforms/` that names a platform, and only as strings: nothing here is
imported until the registry is asked for a platform.
"""

# Adding a platform: a new folder in bulkops/platforms/, and one line here.
PACKAGES: dict[str, str] = {
    "smartyads": "bulkops.platforms.smartyads",
    "iqm": "bulkops.platforms.iqm",
}
