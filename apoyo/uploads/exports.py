"""The carga masiva history as a file (CSV or XLSX): the uploads the list shows, with its
filters, newest first, Spanish headers and local times."""

from apoyo.core.exports import local_time

UPLOAD_LIST_HEADER = [
    "N.º de carga",
    "Fecha",
    "Aspirante",
    "Archivo",
    "Solo validación",
    "Canal",
    "Tamaño (bytes)",
    "SHA-256",
    "Cargó",
    "Estado",
    "Filas leídas",
    "Guardadas",
    "Omitidas",
    "Rechazadas",
]


def upload_list_rows(uploads):
    """One row per upload of the (scoped, filtered) queryset."""
    for u in uploads.iterator(chunk_size=1000):
        yield [
            u.pk,
            local_time(u.uploaded_at),
            u.aspirant.code,
            u.original_name,
            "Sí" if u.dry_run else "No",
            u.get_channel_display(),
            u.size,
            u.sha256,
            str(u.uploaded_by or ""),
            u.get_status_display(),
            u.rows_read,
            u.stored,
            u.skipped,
            u.rejected,
        ]
