"""What the PostgreSQL load does beyond storing the rows (loading.stream_cut): the job's
progress stays visible while the import's transaction is open, the only cut is written frozen,
and a repeated clave found by the key sends the file through the checked import."""

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from apoyo.core.jobs import own_connection
from apoyo.roll import loading
from apoyo.roll.jobs import report_progress
from apoyo.roll.models import RollCut, RollEntry, RollImport
from apoyo.roll.services import import_roll
from apoyo.roll.tests.files import elector_key, roll_row, write_roll
from apoyo.testing.factories import make_sections, require_postgresql

CUT = datetime.date(2020, 8, 31)


def read_elsewhere(sql, params):
    """One value read through a connection of its own, as the page polling a job would."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_progress_written_inside_the_import_transaction_is_seen_by_other_connections():
    require_postgresql("SQLite admite un solo escritor; ahí el avance no se escribe a medias.")
    job = RollImport.objects.create(cut_date=CUT, original_name="padron.csv")
    query = "SELECT rows_read FROM roll_rollimport WHERE id = %s"

    with own_connection() as through, transaction.atomic():
        RollCut.objects.create(cut_date=CUT)
        report_progress(job, through)(rows_read=500, phase="Leyendo y validando filas")
        seen_while_open = read_elsewhere(query, [job.pk])
        cut_seen_while_open = read_elsewhere("SELECT count(*) FROM roll_rollcut", [])

    assert seen_while_open == 500
    assert cut_seen_while_open == 0


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_only_cut_is_written_frozen_and_all_visible(tmp_path):
    require_postgresql("COPY FREEZE y el mapa de visibilidad son de PostgreSQL.")
    make_sections()
    import_roll(write_roll(tmp_path / "a.csv", [roll_row(n) for n in range(1, 400)]), CUT)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'roll_rollentry'"
        )
        pages, all_visible = cursor.fetchone()
    assert pages > 0 and all_visible == pages


@pytest.mark.django_db
def test_a_repeated_clave_keeps_the_first_row_whichever_way_the_file_is_stored(
    tmp_path, monkeypatch
):
    make_sections()
    streamed = []
    real_stream = loading.stream_cut

    def watched_stream(*args, **kwargs):
        streamed.append(True)
        return real_stream(*args, **kwargs)

    monkeypatch.setattr(loading, "stream_cut", watched_stream)
    rows = [roll_row(1), roll_row(2), roll_row(1, ocr="9999999999999"), roll_row(3)]
    result = import_roll(write_roll(tmp_path / "a.csv", rows), CUT)

    assert (result["read"], result["imported"], result["rejected"]) == (4, 3, 1)
    reasons = result["issues"].get_column("reason").to_list()
    assert reasons == [
        "La clave de elector ya aparece en la fila 2 del archivo; solo se importa la primera."
    ]
    stored = dict(RollEntry.objects.values_list("elector_key", "ocr"))
    assert stored[elector_key(1)] != "9999999999999" and len(stored) == 3
    # On PostgreSQL the streamed attempt met the repeated clave and was undone before the
    # checked import stored the cut; SQLite checks first.
    assert len(streamed) == (2 if connection.vendor == "postgresql" else 0)


@pytest.mark.postgres
@pytest.mark.django_db
def test_after_the_last_batch_the_progress_names_the_key_build(tmp_path):
    require_postgresql("SQLite guarda el corte después de leerlo, sin construir la llave aparte.")
    make_sections()
    phases = []

    def progress(**fields):
        if "phase" in fields:
            phases.append(fields["phase"])

    import_roll(write_roll(tmp_path / "a.csv", [roll_row(1), roll_row(2)]), CUT, progress=progress)
    assert phases[-1] == "Indexando las claves de elector del corte"
