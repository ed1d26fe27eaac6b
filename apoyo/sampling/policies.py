"""Who may draw a sample and read its projection (issue 17 §3).

The projection is part of the OPL's results of an aspirant: every OPL role of the office's entity
reads it (verification.policies.can_see_results). Drawing a sample decides what the mesa de
control reviews first: an act of the OPL administrator of that entity, like starting a compulsa.
Aspirants do not see it: it is an internal, informative estimate, never a result.
"""

from apoyo.verification import policies as results


def office_of(aspirant):
    return aspirant.office if aspirant is not None else None


def can_see_projection(user, aspirant=None):
    return results.can_see_results(user, office_of(aspirant))


def can_draw_sample(user, aspirant=None):
    return results.administers(user, office_of(aspirant))
