"""Garantía de audiencia (DOMAIN.md, lifecycle step 6).

After a compulsa the OPL administrator opens a hearing window for an office: a start date and a
term in working days (weekends and configured holidays skipped). Inside the window each aspirant
may file hearing requests about their supports that are invalid in the compulsa the window
follows: an argument and evidence files, for one support or a group. The OPL resolves each
hearing request: upheld (the inconsistency is lifted or the data corrected, with the support's
history; the office's results are then recomputed) or rejected (with a reason). The aspirant is
notified either way.

- services.py: the window's calendar, filing and resolving, the state machine;
- evidence.py: the files an aspirant attaches, judged by their content;
- notifications.py: who is told of each step;
- rows.py and views.py: the OPL's pages and the aspirant's portal.

Who may do each step is in apoyo.verification.policies.
"""
