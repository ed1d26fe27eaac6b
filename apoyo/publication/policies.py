"""Who may make a compulsa's figures public.

The public pages themselves need no account (issue 17, section 2): what they show is decided by
publication alone (services.published_runs), never by who asks. Publishing and withdrawing are the
OPL administrator's acts on an office of their entity, like running the compulsa itself.
"""

from apoyo.accounts import policies as roles


def can_publish(user, run=None):
    """ "Publicar cifras" and "Retirar publicación": an OPL administrator, of the run's entity when
    a run is given (superusers: every run)."""
    if not roles.can_administer(user):
        return False
    return run is None or roles.in_state(user, run.office.process.state_id)
