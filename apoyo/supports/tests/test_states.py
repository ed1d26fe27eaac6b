"""One derived state of a support on every page: a rejected support never reads "Preliminar", a
four-eyes rejection reads "por confirmar", and a judged support names its compulsa and motivo."""

import pytest
from django.urls import reverse

from apoyo.accounts.models import Role
from apoyo.review import services as review
from apoyo.supports.models import Inconsistency, Support
from apoyo.supports.states import SupportState, state_counts, state_of, with_state
from apoyo.testing.factories import (
    citizen,
    make_aspirant,
    make_cut,
    make_office,
    make_sections,
    make_user,
    nominal_list,
    precaptured,
)
from apoyo.verification.services import run_check

pytestmark = pytest.mark.django_db


def code(value):
    return Inconsistency.objects.get(code=value)


@pytest.fixture
def aspirant():
    make_sections()
    return make_aspirant(make_office(), with_user=True)


@pytest.fixture
def supports(aspirant):
    """Accepted, rejected, rejection awaiting a second revisor, confirmed SIMULACION, pending."""
    rows = precaptured(aspirant, [1, 2, 3, 4, 5])
    first, second = make_user(Role.OPL_REVIEWER), make_user(Role.OPL_REVIEWER)
    review.accept_support(first, rows[0])
    review.record_inconsistency(first, rows[1], code("FOTOCOPIA"), "Copia")
    review.record_inconsistency(first, rows[2], code("SIMULACION"), "Holograma")
    review.record_inconsistency(first, rows[3], code("SIMULACION"), "Holograma")
    review.confirm_rejection(second, rows[3])
    return rows


def states(aspirant):
    annotated = with_state(Support.objects.filter(aspirant=aspirant).order_by("id"))
    return [str(state_of(s)) for s in annotated]


def test_each_support_reads_its_derived_state(aspirant, supports):
    assert states(aspirant) == [
        "Aceptado (preliminar)",
        "Rechazado: FOTOCOPIA",
        "Rechazo por confirmar",
        "Rechazado: SIMULACION",
        "Pendiente de revisión",
    ]


def test_a_rejected_support_never_reads_preliminar_in_the_portal_or_the_lists(
    client, aspirant, supports
):
    client.force_login(aspirant.user)
    portal = client.get(reverse("supports:portal")).content.decode()
    assert "Rechazado: SIMULACION" in portal and "Rechazo por confirmar" in portal
    detail = client.get(reverse("supports:portal_support", args=[supports[3].pk]))
    assert "Rechazado: SIMULACION" in detail.content.decode()
    client.force_login(make_user(Role.OPL_CAPTURIST))
    listing = client.get(reverse("supports:list"), {"status": "rejected"}).content.decode()
    assert supports[1].elector_key in listing and supports[3].elector_key in listing
    assert supports[0].elector_key not in listing


def test_the_counts_and_the_dashboard_show_the_rejected(client, aspirant, supports):
    counts = {value: n for value, _, n in state_counts(with_state(Support.objects.all()))}
    assert counts == {
        "pending": 1,
        "awaiting": 1,
        "rejected": 2,
        "accepted": 1,
        "verified": 0,
        "withdrawn": 0,
    }
    client.force_login(make_user(Role.OPL_ADMIN))
    dashboard = client.get(reverse("supports:dashboard"))
    row = next(a for a in dashboard.context["aspirants"] if a.pk == aspirant.pk)
    assert row.rejected == 2
    assert "Rechazados en la mesa de control" in dashboard.content.decode()


def test_a_judged_support_names_its_compulsa_and_its_outcome(aspirant, supports):
    make_cut()
    nominal_list({1: 100})
    citizen(supports[0].elector_key, section=1)
    run = run_check(aspirant.office)
    annotated = with_state(Support.objects.filter(pk=supports[0].pk)).get()
    view = state_of(annotated)
    assert view.state == SupportState.VERIFIED
    assert str(view) == f"Verificado: compulsa N.º {run.pk}, válido"
    counts = {value: n for value, _, n in state_counts(with_state(Support.objects.all()))}
    assert (counts["verified"], counts["accepted"], counts["rejected"]) == (1, 0, 2)
