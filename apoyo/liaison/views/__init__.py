"""SIVOPLE pages, by page group. Thin: what a user sees comes from `visible_to` and inbox.py, what
they may do from policies.py, and the steps themselves from the workflow modules."""
