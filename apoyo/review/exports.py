"""The mesa de control queue as a file (CSV or XLSX): the pending supports the page lists, with
its filters and search, oldest first, Spanish headers, local capture times."""

from apoyo.core.exports import local_time

CHUNK = 2000

QUEUE_HEADER = [
    "Capturado",
    "Aspirante",
    "Canal",
    "Folio de la cédula",
    "Clave de elector",
    "Nombre",
    "Apellido paterno",
    "Apellido materno",
    "Advertencias de captura",
]


def queue_rows(queue):
    """One row per support of `queue` (review.queue.review_queue, already scoped and filtered)."""
    for s in queue.iterator(chunk_size=CHUNK):
        yield [
            local_time(s.captured_at),
            s.aspirant.code,
            s.get_channel_display(),
            s.reference,
            s.elector_key,
            s.name,
            s.paternal_surname,
            s.maternal_surname,
            "; ".join(s.warning_list),
        ]
