"""Every boundary: an OPL sees only its entity, an area only what is assigned to it, UTVOPL all;
only UTVOPL assigns, forwards and returns; only the head approves; files only through checked views."""

import pytest
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from apoyo.accounts.models import Role
from apoyo.liaison.answers import approve_answer, forward_answer, return_answer, save_answer
from apoyo.liaison.assignments import assign, reassign
from apoyo.liaison.models import Assignment, Status
from apoyo.liaison.tests.helpers import World, area, member, pdf
from apoyo.testing.factories import make_user


@pytest.fixture
def world(db):
    return World()


def page(client, user, name, *args, **kwargs):
    client.force_login(user)
    return client.get(reverse(f"liaison:{name}", args=args), kwargs)


def post(client, user, name, *args, data=None):
    client.force_login(user)
    return client.post(reverse(f"liaison:{name}", args=args), data or {})


def test_an_opl_sees_only_its_own_entitys_folios(world, client):
    sonora = world.register()
    chihuahua = world.register(user=world.other_opl)
    listing = page(client, world.opl, "list").content.decode()
    assert sonora.folio in listing and chihuahua.folio not in listing
    assert page(client, world.opl, "detail", sonora.pk).status_code == 200
    assert page(client, world.opl, "detail", chihuahua.pk).status_code == 404
    assert page(client, world.other_opl, "detail", sonora.pk).status_code == 404


def test_an_area_sees_only_what_is_actively_assigned_to_it(world, client):
    to_derfe = world.assigned("DERFE", subject="Para la DERFE")
    to_deppp = world.assigned("DEPPP", subject="Para la DEPPP")
    unassigned = world.register(subject="Sin turnar")
    listing = page(client, world.derfe, "list").content.decode()
    assert to_derfe.folio in listing
    assert to_deppp.folio not in listing and unassigned.folio not in listing
    assert page(client, world.derfe, "detail", to_derfe.pk).status_code == 200
    assert page(client, world.derfe, "detail", to_deppp.pk).status_code == 404
    assert page(client, world.derfe, "detail", unassigned.pk).status_code == 404
    reassign(world.utvopl, to_derfe.assignments.get(), area("DEPPP"), "No es suyo.")
    assert page(client, world.derfe, "detail", to_derfe.pk).status_code == 404
    assert page(client, world.deppp, "detail", to_derfe.pk).status_code == 200


def test_an_area_user_of_no_area_sees_nothing(world, client):
    world.assigned()
    loner = make_user(Role.INE_AREA)
    assert "No hay consultas" in page(client, loner, "list").content.decode()


def test_utvopl_sees_every_entitys_folios(world, client):
    folios = [world.register().folio, world.register(user=world.other_opl).folio]
    listing = page(client, world.utvopl, "list").content.decode()
    assert all(folio in listing for folio in folios)


def test_roles_outside_sivople_are_refused_and_strangers_sent_to_log_in(world, client):
    consultation = world.register()
    for role in (Role.ASPIRANT, Role.AUXILIARY):
        user = make_user(role)
        for name, args in [("inbox", ()), ("list", ()), ("detail", (consultation.pk,))]:
            response = page(client, user, name, *args)
            assert response.status_code == 403
            assert "Su rol no tiene acceso" in response.content.decode()
    client.logout()
    response = client.get(reverse("liaison:detail", args=[consultation.pk]))
    assert response.status_code == 302 and "/entrar/" in response["Location"]


def test_only_opl_users_open_the_registration_page(world, client):
    assert page(client, world.opl, "register").status_code == 200
    assert page(client, world.utvopl, "register").status_code == 403
    assert page(client, world.derfe_head, "register").status_code == 403


def test_only_utvopl_assigns_and_reassigns_through_the_pages(world, client):
    consultation = world.register()
    derfe = area()
    response = post(client, world.opl_admin, "assign", consultation.pk, data={"areas": [derfe.pk]})
    assert response.status_code == 403
    assert "Solo la UTVOPL" in response.content.decode()
    # An area user cannot even see an unassigned folio.
    assert post(client, world.derfe_head, "assign", consultation.pk).status_code == 404
    assert not Assignment.objects.exists()
    assign(world.utvopl, consultation, [derfe])
    assignment = consultation.assignments.get()
    data = {f"r{assignment.pk}-area": area("DEPPP").pk, f"r{assignment.pk}-reason": "Motivo"}
    assert post(client, world.derfe_head, "reassign", assignment.pk, data=data).status_code == 403
    assert Assignment.objects.get(pk=assignment.pk).active


def test_only_the_head_approves_and_only_utvopl_forwards_or_returns(world, client):
    consultation = world.assigned()
    answer = save_answer(world.derfe, consultation.assignments.get(), "Respuesta.")
    assert post(client, world.derfe, "approve", answer.pk).status_code == 403
    assert post(client, world.opl, "approve", answer.pk).status_code == 404  # a draft is INE's
    assert post(client, world.utvopl, "approve", answer.pk).status_code == 404
    assert post(client, world.derfe_head, "approve", answer.pk).status_code == 302
    for user in (world.derfe, world.derfe_head):
        assert post(client, user, "forward", answer.pk).status_code == 403
        returned = post(client, user, "return", answer.pk, data={f"d{answer.pk}-comments": "x"})
        assert returned.status_code == 403
    assert post(client, world.opl, "forward", answer.pk).status_code == 404
    answer.refresh_from_db()
    assert answer.status == "approved"


def test_the_opl_never_sees_unforwarded_answers_nor_ine_internal_steps(world, client):
    consultation, answer = world.answered(forward=False)
    return_answer(world.utvopl, answer, "Observación interna.")
    detail = page(client, world.opl, "detail", consultation.pk).content.decode()
    assert "Respuesta de la DERFE." not in detail
    assert "Observación interna." not in detail
    assert "Proyecto de respuesta" not in detail
    ine_view = page(client, world.utvopl, "detail", consultation.pk).content.decode()
    assert "Respuesta de la DERFE." in ine_view and "Observación interna." in ine_view


def test_attachments_are_served_only_to_who_may_see_them(world, client):
    consultation = world.register(files=[pdf("oficio.pdf", body=b"texto del oficio")])
    question = consultation.attachments.get()
    assign(world.utvopl, consultation, [area()])
    draft = save_answer(
        world.derfe, consultation.assignments.get(), "Respuesta.", files=[pdf("respuesta.pdf")]
    )
    reply = draft.attachments.get()

    allowed = [world.opl, world.opl_admin, world.utvopl, world.derfe, world.derfe_head]
    for user in allowed:
        response = page(client, user, "attachment", question.pk)
        assert response.status_code == 200, user
        assert b"texto del oficio" in b"".join(response.streaming_content)
        assert 'filename="oficio.pdf"' in response["Content-Disposition"]
    for user in (world.other_opl, world.deppp):
        assert page(client, user, "attachment", question.pk).status_code == 404

    # The answer's file: its area only while it is a draft; the OPL once it is forwarded.
    assert page(client, world.derfe, "attachment", reply.pk).status_code == 200
    assert page(client, world.opl, "attachment", reply.pk).status_code == 404
    assert page(client, world.utvopl, "attachment", reply.pk).status_code == 404
    approve_answer(world.derfe_head, draft)
    assert page(client, world.utvopl, "attachment", reply.pk).status_code == 200
    assert page(client, world.opl, "attachment", reply.pk).status_code == 404
    forward_answer(world.utvopl, draft)
    assert page(client, world.opl, "attachment", reply.pk).status_code == 200
    assert page(client, world.other_opl, "attachment", reply.pk).status_code == 404

    client.logout()
    response = client.get(reverse("liaison:attachment", args=[question.pk]))
    assert response.status_code == 302


def test_uploaded_files_are_not_under_a_public_url(world):
    consultation = world.register(files=[pdf()])
    stored = consultation.attachments.get()
    with pytest.raises(Resolver404):
        resolve("/" + stored.file.name)


def test_follow_up_and_closing_belong_to_the_registering_entity(world, client):
    consultation, _ = world.answered()
    assert (
        post(client, world.other_opl, "follow_up", consultation.pk, data={"text": "x"}).status_code
        == 404
    )
    response = post(client, world.derfe_head, "follow_up", consultation.pk, data={"text": "x"})
    assert response.status_code == 403
    assert post(client, world.derfe_head, "close", consultation.pk).status_code == 403
    consultation.refresh_from_db()
    assert consultation.status == Status.FORWARDED


def test_catalogues_are_kept_by_utvopl_only(world, client):
    for user in (world.opl_admin, world.derfe_head, world.deppp):
        assert page(client, user, "types").status_code == 403
        assert page(client, user, "areas").status_code == 403
        assert page(client, user, "area", area().pk).status_code == 403
    assert page(client, world.utvopl, "types").status_code == 200


def test_exports_hold_only_what_the_user_sees(world, client):
    sonora = world.register()
    chihuahua = world.register(user=world.other_opl)
    response = page(client, world.opl, "export", "csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert sonora.folio in content and chihuahua.folio not in content
    member_of_nothing = member("DEOE")
    response = page(client, member_of_nothing, "export", "csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert content.count("\n") == 1  # the header only


def test_utvopls_instruction_to_the_area_is_not_shown_to_the_opl(world, client):
    consultation = world.register()
    assign(world.utvopl, consultation, [area()], instruction="Instrucción interna.")
    assert (
        "Instrucción interna."
        not in page(client, world.opl, "detail", consultation.pk).content.decode()
    )
    assert (
        "Instrucción interna."
        in page(client, world.derfe, "detail", consultation.pk).content.decode()
    )


def test_a_closing_note_too_long_is_refused_on_the_page_and_the_folio_stays_open(world, client):
    consultation, _ = world.answered()
    response = post(client, world.utvopl, "close", consultation.pk, data={"note": "x" * 501})
    assert response.status_code == 400
    assert "500 caracteres" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status != Status.CLOSED
