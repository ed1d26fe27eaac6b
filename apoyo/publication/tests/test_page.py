"""The public page: the current figures as people read them and the path chart, one point per
published compulsa, with its axes titled."""

import pytest
from django.urls import reverse

from apoyo.publication.chart import nice_scale, path_chart
from apoyo.publication.figures import office_history
from apoyo.publication.services import publish_figures

pytestmark = pytest.mark.django_db


def test_the_vertical_axis_reaches_the_highest_figure_in_a_few_round_steps():
    cases = {
        0: (1, 1),
        4: (4, 1),
        7: (8, 2),
        120: (125, 25),
        4100: (5000, 1000),
        63145: (80000, 20000),
    }
    assert {value: nice_scale(value) for value in cases} == cases


def test_the_chart_has_one_point_per_published_run_for_each_aspirant(office, runs, admin):
    first, second = runs
    publish_figures(admin, first)
    publish_figures(admin, second)
    chart = path_chart(office_history(office))
    assert chart["runs"] == 2 and len(chart["dates"]) == 2
    assert [len(line["points"]) for line in chart["series"]] == [2, 2]
    b = chart["series"][1]
    assert [p["valid"] for p in b["points"]] == [1, 2]
    # Two more valid supports draw a higher point (SVG y grows downwards).
    assert b["points"][1]["y"] < b["points"][0]["y"]
    assert [p["required"] for p in chart["required"]["points"]] == [4, 4]
    assert chart["ticks"][0]["value"] == 0 and chart["ticks"][-1]["y"] == chart["top"]


def test_an_unpublished_run_is_no_point_of_the_chart(office, runs, admin):
    first, _ = runs
    publish_figures(admin, first)
    chart = path_chart(office_history(office))
    assert chart["runs"] == 1 and [len(line["points"]) for line in chart["series"]] == [1, 1]


def test_the_page_shows_counts_percentage_units_and_titled_axes(client, office, runs, admin):
    _, second = runs
    publish_figures(admin, second)
    page = client.get(reverse("publication:office", args=[office.pk])).content.decode()
    assert "MARIA SOTO RUIZ" in page and "PEDRO LUNA DIAZ" in page
    # A: 3 valid of 120 in the Lista Nominal, 3 municipalities of the 2 required.
    assert "2.50%" in page and '3 <span class="help">(se requieren 2)</span>' in page
    assert "3.00% de la Lista Nominal (4 apoyos)" in page
    assert 'data-axis="y">Apoyos válidos<' in page
    assert 'data-axis="x">Compulsa publicada (fecha y número)<' in page
    assert page.count('data-chart="path" data-layout="wide"') == 1
    assert page.count('data-chart="path" data-layout="narrow"') == 1
    assert reverse("publication:office_data", args=[office.pk, "csv"]) in page
    assert reverse("publication:office_data", args=[office.pk, "json"]) in page
