"""SmartyAds: its API client, kinds, steps, live-state reader and sandbox."""
