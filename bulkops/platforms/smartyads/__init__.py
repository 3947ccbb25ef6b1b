"""SmartyAds: its API client, kinds, steps, live-state reader and sandbox.

Its `Platform` object is `PLATFORM` in `platform.py`, which the registry imports when the platform is
first asked for: importing a part of this folder, such as its client, does not load the rest.
"""
