"""Planning a job: the order of its requests, their count and time, and the diff against live state."""
