"""The supports lists as files (CSV or XLSX): the OPL's list and the aspirant's own supports in the
portal, each with the filters of its page and the columns it shows, in Spanish. Rows are read in
chunks, never as one list; state is the derived state of every page (supports.states)."""

from apoyo.core.exports import local_time
from apoyo.supports.states import state_of

CHUNK = 2000

NAME_HEADER = ["Nombre", "Apellido paterno", "Apellido materno"]
OPL_HEADER = [
    "Folio de la cédula",
    "Clave de elector",
    *NAME_HEADER,
    "Aspirante",
    "Cargo",
    "Canal",
    "Fecha del apoyo",
    "Tipo de inconsistencia",
    "Estado",
    "Capturado",
]
PORTAL_HEADER = [
    "Folio de la cédula",
    "Clave de elector",
    *NAME_HEADER,
    "Canal",
    "Fecha del apoyo",
    "Estado",
    "Capturado",
]


def names(support):
    return [support.name, support.paternal_surname, support.maternal_surname]


def opl_rows(supports):
    """The OPL list's rows; `supports` is the list's queryset (scoped, filtered, with_state)."""
    for s in supports.iterator(chunk_size=CHUNK):
        yield [
            s.reference,
            s.elector_key,
            *names(s),
            s.aspirant.code,
            s.aspirant.office.code,
            s.get_channel_display(),
            s.support_date,
            s.inconsistency.code if s.inconsistency_id else "",
            str(state_of(s)),
            local_time(s.captured_at),
        ]


def portal_rows(supports):
    """The portal's rows: the aspirant's own supports as their page lists them."""
    for s in supports.iterator(chunk_size=CHUNK):
        yield [
            s.reference,
            s.elector_key,
            *names(s),
            s.get_channel_display(),
            s.support_date,
            str(state_of(s)),
            local_time(s.captured_at),
        ]
