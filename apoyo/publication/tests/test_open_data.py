"""The open data: exact columns in CSV and JSON, numbers as numbers, the same figures as the OPL's
results, and no personal data of any citizen."""

import csv
import io
import json

import pytest
from django.urls import reverse

from apoyo.publication.opendata import HEADER
from apoyo.publication.services import publish_figures
from apoyo.supports.models import Support
from apoyo.verification.models import AspirantResult
from apoyo.verification.services import run_check

pytestmark = pytest.mark.django_db

COLUMNS = [
    "PROCESO",
    "NOMBRE_PROCESO",
    "CARGO",
    "NOMBRE_CARGO",
    "COMPULSA",
    "FECHA_COMPULSA",
    "FECHA_CORTE",
    "FECHA_PUBLICACION",
    "ASPIRANTE",
    "NOMBRE_ASPIRANTE",
    "LISTA_NOMINAL",
    "REQUERIDOS",
    "CAPTURADOS",
    "VALIDOS",
    "PORCENTAJE",
    "PORCENTAJE_REQUERIDO",
    "UNIDADES_CUMPLEN",
    "UNIDADES_REQUERIDAS",
]


@pytest.fixture
def published(runs, admin):
    for run in runs:
        publish_figures(admin, run)
    return runs


def download(client, office, fmt):
    response = client.get(reverse("publication:office_data", args=[office.pk, fmt]))
    assert response.status_code == 200
    return response


def csv_text(client, office):
    response = download(client, office, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"avance-{office.code}.csv" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode("utf-8-sig")


def json_document(client, office):
    response = download(client, office, "json")
    assert response["Content-Type"] == "application/json"
    assert f"avance-{office.code}.json" in response["Content-Disposition"]
    return json.loads(response.content)


def test_the_csv_has_exactly_the_documented_columns(client, office, published):
    assert HEADER == COLUMNS
    reader = csv.reader(io.StringIO(csv_text(client, office)))
    assert next(reader) == COLUMNS
    assert len(list(reader)) == 4  # two aspirants in two compulsas


def test_each_json_row_has_exactly_the_documented_columns_in_order(client, office, published):
    document = json_document(client, office)
    assert [column["nombre"] for column in document["columnas"]] == COLUMNS
    assert all(column["descripcion"] and column["tipo"] for column in document["columnas"])
    assert len(document["filas"]) == 4
    for row in document["filas"]:
        assert list(row) == COLUMNS


def test_the_json_gives_numbers_as_numbers_and_matches_the_results(
    client, office, published, aspirants
):
    first, second = published
    a, b = aspirants
    rows = {(r["COMPULSA"], r["ASPIRANTE"]): r for r in json_document(client, office)["filas"]}
    b_then, b_now = rows[first.pk, b.code], rows[second.pk, b.code]
    assert (b_then["VALIDOS"], b_now["VALIDOS"]) == (1, 2)
    a_now = rows[second.pk, a.code]
    result = AspirantResult.objects.get(run=second, aspirant=a)
    assert a_now["CAPTURADOS"] == 4 and a_now["VALIDOS"] == 3 == result.valid
    assert a_now["REQUERIDOS"] == 4 and a_now["LISTA_NOMINAL"] == 120
    # 3 of 120 = 2.50 % of the Lista Nominal: a JSON number, not a text with "%".
    assert a_now["PORCENTAJE"] == 2.5 and a_now["PORCENTAJE_REQUERIDO"] == 3.0
    assert (a_now["UNIDADES_CUMPLEN"], a_now["UNIDADES_REQUERIDAS"]) == (3, 2)
    for name in ("COMPULSA", "LISTA_NOMINAL", "REQUERIDOS", "CAPTURADOS", "VALIDOS"):
        assert type(a_now[name]) is int, name
    assert a_now["NOMBRE_ASPIRANTE"] == "MARIA SOTO RUIZ"
    assert a_now["FECHA_CORTE"] == "2020-08-31"


def test_the_csv_writes_plain_numbers_and_two_decimal_percentages(
    client, office, published, aspirants
):
    _, second = published
    a, _ = aspirants
    rows = list(csv.DictReader(io.StringIO(csv_text(client, office))))
    row = next(r for r in rows if r["COMPULSA"] == str(second.pk) and r["ASPIRANTE"] == a.code)
    assert (row["VALIDOS"], row["PORCENTAJE"], row["PORCENTAJE_REQUERIDO"]) == ("3", "2.50", "3.00")
    assert (row["UNIDADES_CUMPLEN"], row["UNIDADES_REQUERIDAS"]) == ("3", "2")


def test_an_office_without_dispersion_rule_leaves_the_units_empty(client, office, runs, admin):
    office.dispersion_unit = ""
    office.dispersion_min_units = None
    office.dispersion_min_percent = None
    office.save()
    third = run_check(office, admin)
    publish_figures(admin, third)
    rows = json_document(client, office)["filas"]
    assert {(r["UNIDADES_CUMPLEN"], r["UNIDADES_REQUERIDAS"]) for r in rows} == {(None, None)}
    csv_rows = list(csv.DictReader(io.StringIO(csv_text(client, office))))
    assert {(r["UNIDADES_CUMPLEN"], r["UNIDADES_REQUERIDAS"]) for r in csv_rows} == {("", "")}


def test_no_personal_data_of_any_citizen_is_in_the_files_or_the_page(client, office, published):
    texts = [
        csv_text(client, office),
        json.dumps(json_document(client, office), ensure_ascii=False),
        client.get(reverse("publication:office", args=[office.pk])).content.decode(),
    ]
    supports = Support.objects.filter(aspirant__office=office)
    secrets = set()
    for s in supports:
        secrets |= {s.elector_key, s.ocr, s.paternal_surname}
    assert "GARCIA" in secrets  # the factories' citizens are JUAN GARCIA LOPEZ
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_the_page_documents_every_column(client, office, published):
    page = client.get(reverse("publication:office", args=[office.pk])).content.decode()
    for name in COLUMNS:
        assert f'data-column="{name}">{name}</dt>' in page


def test_an_unknown_format_is_not_found(client, office, published):
    url = reverse("publication:office_data", args=[office.pk, "xlsx"])
    assert client.get(url).status_code == 404
