"""The steps taken from a folio's page: UTVOPL assigns, reassigns, forwards, returns and closes; an
area drafts and its head approves; the OPL follows up and closes.

A view asks the step's policy before reading its form, so a user who may not take the step gets
the refusal (403), never the form's errors; the service asks it again before acting.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from apoyo.liaison import policies
from apoyo.liaison.answers import (
    answering_blocked,
    approve_answer,
    forward_answer,
    open_answer,
    return_answer,
    save_answer,
)
from apoyo.liaison.assignments import assign, reassign
from apoyo.liaison.forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    FollowUpForm,
    ReassignForm,
    ReturnForm,
)
from apoyo.liaison.models import Assignment
from apoyo.liaison.views.common import (
    SivopleMixin,
    page,
    step_done,
    visible_answer,
    visible_consultation,
)
from apoyo.liaison.views.folio import render_detail
from apoyo.liaison.workflow import WorkflowError, ask_follow_up, close

# UTVOPL -------------------------------------------------------------------------------------------


class AssignView(SivopleMixin, View):
    def post(self, request, pk):
        consultation = visible_consultation(request, pk)
        policies.require_can_assign(request.user)
        form = AssignForm(consultation, request.POST)
        if not form.is_valid():
            return render_detail(request, consultation, status=400, assign_form=form)
        areas = list(form.cleaned_data["areas"])
        codes = ", ".join(area.code for area in areas)
        result = step_done(
            request,
            consultation,
            lambda: assign(request.user, consultation, areas, form.cleaned_data["instruction"]),
            f"{consultation.folio} turnada a {codes}; se avisó por correo a los usuarios del área.",
        )
        for area in areas:
            if not area.members.filter(user__is_active=True).exists():
                messages.warning(request, f"El área {area.code} no tiene usuarios activos.")
        return result


class ReassignView(SivopleMixin, View):
    def post(self, request, pk):
        assignment = get_object_or_404(Assignment.objects.select_related("area"), pk=pk)
        consultation = visible_consultation(request, assignment.consultation_id)
        policies.require_can_reassign(request.user)
        form = ReassignForm(request.POST, prefix=f"r{assignment.pk}")
        if not form.is_valid():
            return render_detail(request, consultation, status=400, reassign_form=form)
        data = form.cleaned_data
        return step_done(
            request,
            consultation,
            lambda: reassign(
                request.user, assignment, data["area"], data["reason"], data["instruction"]
            ),
            f"Reasignada de {assignment.area.code} a {data['area'].code}.",
        )


class ForwardView(SivopleMixin, View):
    def post(self, request, pk):
        answer, consultation = visible_answer(request, pk)
        return step_done(
            request,
            consultation,
            lambda: forward_answer(request.user, answer),
            f"Respuesta de {answer.area.code} remitida al OPL.",
        )


class ReturnView(SivopleMixin, View):
    def post(self, request, pk):
        answer, consultation = visible_answer(request, pk)
        policies.require_can_return(request.user)
        form = ReturnForm(request.POST, prefix=f"d{answer.pk}")
        if not form.is_valid():
            return render_detail(request, consultation, status=400, return_form=form)
        return step_done(
            request,
            consultation,
            lambda: return_answer(request.user, answer, form.cleaned_data["comments"]),
            f"Respuesta devuelta a {answer.area.code} con observaciones.",
        )


class CloseView(SivopleMixin, View):
    def post(self, request, pk):
        consultation = visible_consultation(request, pk)
        policies.require_can_close(request.user, consultation)
        form = CloseForm(request.POST)
        if not form.is_valid():
            return render_detail(request, consultation, status=400, close_form=form)
        note = form.cleaned_data["note"]
        return step_done(
            request,
            consultation,
            lambda: close(request.user, consultation, note),
            f"{consultation.folio} concluida.",
        )


# Areas --------------------------------------------------------------------------------------------


class AnswerView(SivopleMixin, View):
    """Draft or edit the area's answer to one assignment."""

    def get_assignment(self, request, pk):
        assignment = get_object_or_404(Assignment.objects.select_related("area"), pk=pk)
        consultation = visible_consultation(request, assignment.consultation_id)
        policies.require_can_answer(request.user, assignment)
        return assignment, consultation, open_answer(assignment)

    def get(self, request, pk):
        assignment, consultation, answer = self.get_assignment(request, pk)
        if answering_blocked(consultation, assignment, answer):
            messages.error(
                request,
                f"La respuesta de {assignment.area.code} no se puede editar ahora: ya fue aprobada "
                "o respondida, o el turno ya no está vigente.",
            )
            return redirect("liaison:detail", pk=consultation.pk)
        initial = {"text": answer.text, "ine_folio": answer.ine_folio} if answer else {}
        return self.render(
            request, assignment, consultation, answer, AnswerForm(answer, initial=initial)
        )

    def post(self, request, pk):
        assignment, consultation, answer = self.get_assignment(request, pk)
        form = AnswerForm(answer, request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, assignment, consultation, answer, form, status=400)
        data = form.cleaned_data
        try:
            save_answer(
                request.user,
                assignment,
                data["text"],
                files=data["files"],
                remove=data.get("remove") or (),
                ine_folio=data["ine_folio"],
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("liaison:detail", pk=consultation.pk)
        messages.success(
            request,
            f"Respuesta de {assignment.area.code} guardada; el titular del área debe aprobarla.",
        )
        return redirect("liaison:detail", pk=consultation.pk)

    def render(self, request, assignment, consultation, answer, form, status=200):
        context = {
            "assignment": assignment,
            "consultation": consultation,
            "answer": answer,
            "form": form,
            "attachments": consultation.attachments.filter(answer=None, follow_up=None),
            "follow_ups": consultation.follow_ups.all(),
        }
        return page(request, "liaison/answer_form.html", context, status=status)


class ApproveView(SivopleMixin, View):
    def post(self, request, pk):
        answer, consultation = visible_answer(request, pk)
        return step_done(
            request,
            consultation,
            lambda: approve_answer(request.user, answer),
            f"Respuesta de {answer.area.code} aprobada; pasa a la UTVOPL para remitirla al OPL.",
        )


# The OPL ------------------------------------------------------------------------------------------


class FollowUpView(SivopleMixin, View):
    def post(self, request, pk):
        consultation = visible_consultation(request, pk)
        policies.require_can_follow_up(request.user, consultation)
        form = FollowUpForm(request.POST, request.FILES)
        if not form.is_valid():
            return render_detail(request, consultation, status=400, follow_up_form=form)
        data = form.cleaned_data
        return step_done(
            request,
            consultation,
            lambda: ask_follow_up(request.user, consultation, data["text"], files=data["files"]),
            f"Seguimiento enviado en el folio {consultation.folio}.",
        )
