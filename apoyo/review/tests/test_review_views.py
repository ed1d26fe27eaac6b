"""Mesa de control pages: the queue, the review beside the scans, the four-eyes confirmations and
the administrator's panel, with who may reach each."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apoyo.accounts.models import AccessLog, Role
from apoyo.review import services as review
from apoyo.supports.models import (
    ChangeAction,
    Inconsistency,
    Review,
    ReviewOutcome,
    Status,
    Support,
)
from apoyo.supports.scans import add_scan
from apoyo.testing.factories import make_aspirant, make_office, make_user, precaptured
from apoyo.testing.files import PDF, png, uploaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return make_office()


@pytest.fixture
def aspirant(office):
    return make_aspirant(office, with_user=True)


@pytest.fixture
def pending(aspirant):
    return precaptured(aspirant, [1, 2, 3])


@pytest.fixture
def reviewer(client):
    user = make_user(Role.OPL_REVIEWER)
    client.force_login(user)
    return user


def code(value):
    return Inconsistency.objects.get(code=value)


def review_url(support, query=""):
    url = reverse("review:support", args=[support.pk])
    return f"{url}?{query}" if query else url


# Who reaches the mesa de control -------------------------------------------------------------------


def test_revisors_and_administrators_reach_the_queue_capturists_do_not(client, pending):
    for role, status in (
        (Role.OPL_REVIEWER, 200),
        (Role.OPL_ADMIN, 200),
        (Role.OPL_CAPTURIST, 403),
        (Role.INE_UTVOPL, 403),
    ):
        client.force_login(make_user(role))
        assert client.get(reverse("review:queue")).status_code == status, role
        assert client.get(review_url(pending[0])).status_code == status, role
    client.force_login(make_user(Role.OPL_CAPTURIST))
    accept = client.post(reverse("review:accept", args=[pending[0].pk]))
    assert accept.status_code == 403
    assert Support.objects.get(pk=pending[0].pk).status == Status.PENDING_REVIEW


def test_nav_shows_the_mesa_de_control_to_revisors_only(client):
    client.force_login(make_user(Role.OPL_REVIEWER))
    link = f'href="{reverse("review:queue")}"'
    assert link in client.get(reverse("supports:dashboard")).content.decode()
    client.force_login(make_user(Role.OPL_CAPTURIST))
    assert link not in client.get(reverse("supports:dashboard")).content.decode()


def test_a_revisor_of_another_entity_gets_not_found(client, pending):
    client.force_login(make_user(Role.OPL_REVIEWER, state_number=14))
    support = pending[0]
    assert client.get(review_url(support)).status_code == 404
    for name in ("review:accept", "review:inconsistency"):
        assert client.post(reverse(name, args=[support.pk])).status_code == 404, name
    confirm = client.post(reverse("review:confirm", args=[support.pk]), {"decision": "confirm"})
    assert confirm.status_code == 404
    assert support.elector_key not in client.get(reverse("review:queue")).content.decode()
    assert Support.objects.get(pk=support.pk).status == Status.PENDING_REVIEW


# The queue and the review page ---------------------------------------------------------------------


def test_queue_lists_pending_supports_oldest_first_with_filters(client, reviewer, office, pending):
    other = make_aspirant(office, with_user=True)
    older = precaptured(other, [7], reference="Q-1")[0]
    Support.objects.filter(pk=older.pk).update(
        captured_at=timezone.now() - datetime.timedelta(days=2)
    )
    page = client.get(reverse("review:queue")).content.decode()
    positions = [page.index(s.elector_key) for s in [older, *pending]]
    assert positions == sorted(positions)
    assert f'href="{review_url(older)}"' in page  # "Comenzar revisión" opens the oldest
    filtered = client.get(reverse("review:queue"), {"reference": "q-1"}).content.decode()
    assert older.elector_key in filtered and pending[0].elector_key not in filtered
    by_aspirant = client.get(
        reverse("review:queue"), {"aspirant": pending[0].aspirant_id}
    ).content.decode()
    assert older.elector_key not in by_aspirant and pending[2].elector_key in by_aspirant
    today = timezone.localdate().isoformat()
    by_date = client.get(
        reverse("review:queue"), {"date_from": today, "date_to": today}
    ).content.decode()
    assert older.elector_key not in by_date and pending[0].elector_key in by_date
    wrong = client.get(reverse("review:queue"), {"date_from": today, "date_to": "2020-01-01"})
    assert "La fecha inicial es posterior a la final" in wrong.content.decode()
    assert AccessLog.objects.filter(user=reviewer, object_type="mesa de control").exists()


def test_review_page_shows_the_support_beside_every_scan_of_its_cedula(
    client, reviewer, aspirant, pending
):
    cedula = pending[0].cedula
    image = add_scan(aspirant.user, cedula, uploaded("frente.png", png()))
    document = add_scan(aspirant.user, cedula, uploaded("cedula.pdf", PDF))
    page = client.get(review_url(pending[0])).content.decode()
    assert f'<img src="{reverse("supports:scan", args=[image.pk])}"' in page
    # The PDF is shown as its pages drawn as images; the second scan loads only when shown.
    first_page = reverse("supports:scan_page", args=[document.pk, 1])
    assert f'<img src="{first_page}"' in page
    assert f'data-pages="{first_page}" loading="lazy"' in page
    assert f'href="{reverse("supports:scan", args=[document.pk])}" download' in page
    assert "<object" not in page
    assert 'role="tablist"' in page  # several images: tabs to switch
    assert "review/review.js" in page and "review/review.css" in page
    assert 'data-shortcut="a"' in page and 'data-shortcut="n"' in page
    assert pending[0].elector_key in page
    assert AccessLog.objects.filter(
        user=reviewer, action="revisar", object_id=str(pending[0].pk)
    ).exists()


def test_a_pdf_stored_before_its_pages_were_drawn_is_embedded(client, reviewer, aspirant, pending):
    document = add_scan(aspirant.user, pending[0].cedula, uploaded("cedula.jpg", PDF))
    document.pages.all().delete()
    page = client.get(review_url(pending[0])).content.decode()
    assert f'<object class="pdf" data="{reverse("supports:scan", args=[document.pk])}"' in page
    assert 'role="tablist"' not in page


def test_review_page_without_scan_says_so(client, reviewer, pending):
    page = client.get(review_url(pending[0])).content.decode()
    assert "no tiene escaneo" in page


def test_accepting_on_the_page_opens_the_next_support_of_the_same_filtered_queue(
    client, reviewer, aspirant, pending
):
    query = f"aspirant={aspirant.pk}"
    response = client.post(f"{reverse('review:accept', args=[pending[0].pk])}?{query}")
    assert response["Location"] == review_url(pending[1], query)
    assert Support.objects.get(pk=pending[0].pk).status == Status.PRELIMINARY
    client.post(reverse("review:accept", args=[pending[1].pk]))
    last = client.post(reverse("review:accept", args=[pending[2].pk]), follow=True)
    assert last.redirect_chain[-1][0] == reverse("review:queue")
    assert "No quedan apoyos pendientes" in last.content.decode()


def test_accepting_twice_says_it_was_already_decided(client, reviewer, pending):
    client.post(reverse("review:accept", args=[pending[0].pk]))
    again = client.post(reverse("review:accept", args=[pending[0].pk]), follow=True)
    assert "ya no está pendiente de revisión" in again.content.decode()
    assert Review.objects.filter(support=pending[0]).count() == 1


def test_recording_an_inconsistency_on_the_page(client, reviewer, pending):
    url = reverse("review:inconsistency", args=[pending[0].pk])
    missing = client.post(url, {"comment": "sin tipo"})
    assert missing.status_code == 400
    assert "Elija el tipo de inconsistencia" in missing.content.decode()
    other = client.post(url, {"inconsistency": code("OTRA").pk, "comment": ""})
    assert other.status_code == 400 and "Describa la inconsistencia" in other.content.decode()
    done = client.post(url, {"inconsistency": code("ILEGIBLE").pk, "comment": "Borroso"})
    assert done["Location"] == review_url(pending[1])
    support = Support.objects.get(pk=pending[0].pk)
    assert (support.status, support.inconsistency.code, support.comment) == (
        Status.PRELIMINARY,
        "ILEGIBLE",
        "Borroso",
    )
    detail = client.get(reverse("supports:detail", args=[support.pk])).content.decode()
    assert "Mesa de control: inconsistencia" in detail and "ILEGIBLE: Borroso" in detail


def test_four_eyes_rejection_through_the_pages(client, reviewer, pending):
    support = pending[0]
    proposed = client.post(
        reverse("review:inconsistency", args=[support.pk]),
        {"inconsistency": code("SIMULACION").pk, "comment": "Holograma impreso"},
        follow=True,
    )
    assert "cuenta solo cuando otro revisor lo confirme" in proposed.content.decode()
    assert Support.objects.get(pk=support.pk).status == Status.PENDING_REVIEW

    # The proposer sees it waiting, cannot resolve it, and the page says why.
    own = client.get(review_url(support)).content.decode()
    assert "Usted propuso este rechazo" in own and 'data-shortcut="c"' not in own
    confirm_url = reverse("review:confirm", args=[support.pk])
    assert client.post(confirm_url, {"decision": "confirm"}).status_code == 403
    assert client.post(confirm_url, {"decision": "overturn", "comment": "x"}).status_code == 403
    listing = client.get(reverse("review:confirmations")).content.decode()
    assert support.elector_key in listing and "Propuesto por usted" in listing

    second = make_user(Role.OPL_REVIEWER)
    client.force_login(second)
    page = client.get(review_url(support)).content.decode()
    assert "Holograma impreso" in page and 'data-shortcut="c"' in page
    done = client.post(confirm_url, {"decision": "confirm", "comment": "Coincido"}, follow=True)
    assert "Rechazo de" in done.content.decode() and "confirmado" in done.content.decode()
    support.refresh_from_db()
    assert (support.status, support.inconsistency.code) == (Status.PRELIMINARY, "SIMULACION")
    history = set(support.changes.values_list("action", "user"))
    assert (ChangeAction.REJECTION_PROPOSED, reviewer.pk) in history
    assert (ChangeAction.REJECTION_CONFIRMED, second.pk) in history


def test_overturning_needs_a_reason_and_returns_the_support_to_the_queue(client, reviewer, pending):
    support = pending[0]
    review.record_inconsistency(reviewer, support, code("SIMULACION"))
    client.force_login(make_user(Role.OPL_REVIEWER))
    url = reverse("review:confirm", args=[support.pk])
    refused = client.post(url, {"decision": "overturn", "comment": ""})
    assert refused.status_code == 400 and "por qué no confirma" in refused.content.decode()
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    client.post(url, {"decision": "overturn", "comment": "Es auténtica"})
    assert support.elector_key in client.get(reverse("review:queue")).content.decode()
    assert Support.objects.get(pk=support.pk).status == Status.PENDING_REVIEW


def test_confirming_leads_to_the_next_rejection_awaiting_this_revisor(client, reviewer, pending):
    for support in pending[:2]:
        review.record_inconsistency(reviewer, support, code("SIMULACION"))
    client.force_login(make_user(Role.OPL_REVIEWER))
    first = client.post(reverse("review:confirm", args=[pending[0].pk]), {"decision": "confirm"})
    assert first["Location"] == review_url(pending[1])
    last = client.post(reverse("review:confirm", args=[pending[1].pk]), {"decision": "confirm"})
    assert last["Location"] == reverse("review:confirmations")


# The administrator's panel and the catalogue -------------------------------------------------------


def test_only_the_opl_administrator_sees_the_panel_with_throughput_and_pending(
    client, reviewer, aspirant, pending
):
    review.accept_support(reviewer, pending[0])
    review.record_inconsistency(reviewer, pending[1], code("SIMULACION"))
    assert client.get(reverse("review:panel")).status_code == 403
    client.force_login(make_user(Role.OPL_ADMIN))
    page = client.get(reverse("review:panel")).content.decode()
    assert str(reviewer) in page and aspirant.full_name in page
    assert "Decisiones por revisor y día" in page and "Pendientes por aspirante" in page
    assert Review.objects.filter(outcome=ReviewOutcome.PROPOSED).count() == 1


def test_administrator_marks_own_inconsistency_types_as_needing_a_second_revisor(client):
    admin = make_user(Role.OPL_ADMIN)
    client.force_login(admin)
    url = reverse("supports:inconsistencies")
    client.post(
        url,
        {
            "code": "firma calcada",
            "name": "Firma calcada",
            "active": "on",
            "needs_confirmation": "on",
        },
    )
    own = Inconsistency.objects.get(code="FIRMA_CALCADA")
    assert own.needs_confirmation and own.state_id == 26
    client.post(url, {"pk": own.pk, "code": own.code, "name": own.name, "active": "on"})
    own.refresh_from_db()
    assert own.active and not own.needs_confirmation
    # A national code is shared by every OPL: the page cannot change it.
    simulacion = code("SIMULACION")
    assert (
        client.post(url, {"pk": simulacion.pk, "code": "SIMULACION", "name": "x"}).status_code
        == 404
    )
    assert code("SIMULACION").needs_confirmation
    page = client.get(url).content.decode()
    assert "Requiere segundo revisor" in page


# A refused decision marks the field at fault (review.js puts the cursor back there) ---------------


def test_a_missing_comment_marks_the_comment_field_not_the_form(client, reviewer, pending):
    url = reverse("review:inconsistency", args=[pending[0].pk])
    page = client.post(url, {"inconsistency": code("OTRA").pk, "comment": "  "})
    html = page.content.decode()
    assert page.status_code == 400
    assert 'id="id_comment_error"><li>Describa la inconsistencia en el comentario.' in html
    assert 'aria-invalid="true" aria-describedby="id_comment_error" id="id_comment"' in html
    assert 'class="alert error"' not in html
    assert Support.objects.get(pk=pending[0].pk).status == Status.PENDING_REVIEW


def test_an_overturn_without_reason_marks_the_reason_field(client, reviewer, pending):
    review.record_inconsistency(reviewer, pending[0], code("SIMULACION"))
    client.force_login(make_user(Role.OPL_REVIEWER))
    url = reverse("review:confirm", args=[pending[0].pk])
    html = client.post(url, {"decision": "overturn", "comment": " "}).content.decode()
    assert 'id="overturn-comment-error"><li>Explique por qué no confirma el rechazo.' in html
    reason = re.search(r'<input[^>]*id="overturn-comment"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in reason, reason
    assert 'id="confirm-comment" maxlength="500">' in html  # the other form is untouched
    assert Review.objects.get(support=pending[0]).confirmation == ""
