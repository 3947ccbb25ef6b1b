"""Running a plan: the steps, the account's journal, and the outcome of every row."""
