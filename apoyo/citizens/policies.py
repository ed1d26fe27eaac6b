"""Who may read what citizens told the OPL through the consulta ciudadana.

The consulta itself is public (no account). A citizen's report holds their contact, personal data
kept only to follow up the report: the OPL administrators of the support's entity read it (scoped
by CitizenReport.objects.visible_to), each read logged. Revisores see the statement on the mesa de
control's page of the support, without the contact.
"""

from apoyo.accounts import policies as roles


def can_read_reports(user):
    """The list "Desconocimientos ciudadanos" and each report with its contact."""
    return roles.can_administer(user)
