"""Who may see and run the purge of personal data (README, "Conservación y supresión de datos
personales"): the OPL administrators of the process's entity."""

from apoyo.accounts import policies


def can_manage_retention(user, process=None):
    """The retention page and purging a process: an OPL administrator, of the process's entity
    when one is named."""
    if not policies.can_administer(user):
        return False
    return process is None or policies.in_state(user, process.state_id)
