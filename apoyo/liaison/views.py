"""SIVOPLE pages. Thin: what a user sees comes from `visible_to`, what they may do from services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Min, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from apoyo.accounts import policies
from apoyo.accounts.models import OPL_ROLES, Role
from apoyo.accounts.permissions import PolicyRequiredMixin
from apoyo.core.exports import csv_response, xlsx_response
from apoyo.core.filetypes import CONTENT_TYPES
from apoyo.liaison import services
from apoyo.liaison.forms import (
    AnswerForm,
    AreaForm,
    AssignForm,
    CloseForm,
    DocumentTypeForm,
    FilterForm,
    FollowUpForm,
    MemberForm,
    ReassignForm,
    RegisterForm,
    ReturnForm,
)
from apoyo.liaison.models import (
    AREA_ROLES,
    EDITABLE_ANSWER,
    INTERNAL_EVENTS,
    Answer,
    AnswerStatus,
    Area,
    AreaMember,
    Assignment,
    Attachment,
    Consultation,
    DocumentType,
    Opl,
    Status,
)
from apoyo.liaison.services import NotAllowed, WorkflowError

SIVOPLE_ROLES = OPL_ROLES | AREA_ROLES | {Role.INE_UTVOPL}
INBOX_ROWS = 50


class SivopleMixin(PolicyRequiredMixin):
    """OPL staff, UTVOPL and area users; a refusal is shown as a page with its Spanish reason."""

    policy = policies.can_use_sivople

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as exc:
            reason = str(exc) or "No tiene permiso para esta acción."
            return render(request, "liaison/denied.html", {"reason": reason}, status=403)


class UtvoplMixin(SivopleMixin):
    policy = policies.is_liaison_unit


def visible_consultation(request, pk):
    consultations = Consultation.objects.visible_to(request.user).select_related(
        "doc_type", "state", "created_by"
    )
    return get_object_or_404(consultations, pk=pk)


def consultations_for(user):
    """The user's visible folios with their next pending due date and current areas."""
    pending = Q(assignments__active=True, assignments__answered_at__isnull=True)
    return (
        Consultation.objects.visible_to(user)
        .select_related("doc_type", "state")
        .annotate(next_due=Min("assignments__due_date", filter=pending))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(active=True).select_related("area"),
                to_attr="current_assignments",
            )
        )
        .order_by("-created_at", "-pk")
    )


def filter_consultations(consultations, data, today=None):
    today = today or timezone.localdate()
    text = (data.get("q") or "").strip()
    if text:
        consultations = consultations.filter(
            Q(folio__icontains=text)
            | Q(opl_folio__icontains=text)
            | Q(subject__icontains=text)
            | Q(description__icontains=text)
        )
    if data.get("state"):
        consultations = consultations.filter(state=data["state"])
    if data.get("area"):
        assigned = Assignment.objects.filter(active=True, area=data["area"])
        consultations = consultations.filter(pk__in=assigned.values("consultation"))
    if data.get("doc_type"):
        consultations = consultations.filter(doc_type=data["doc_type"])
    if data.get("status"):
        consultations = consultations.filter(status=data["status"])
    if data.get("due") == "overdue":
        consultations = consultations.filter(next_due__lt=today).exclude(status=Status.CLOSED)
    elif data.get("due") == "soon":
        consultations = consultations.filter(
            next_due__gte=today, next_due__lte=services.due_soon_limit(today)
        ).exclude(status=Status.CLOSED)
    return consultations


# Inbox and lists ----------------------------------------------------------------------------------


class InboxView(SivopleMixin, View):
    """What waits for the user: by role, the folios to assign, answer, approve, forward or read."""

    def get(self, request):
        user = request.user
        today = timezone.localdate()
        consultations = consultations_for(user)
        context = {"today": today}
        if user.role == Role.INE_UTVOPL:
            context["to_assign"] = consultations.filter(status=Status.REGISTERED)[:INBOX_ROWS]
            context["to_forward"] = (
                Answer.objects.filter(status=AnswerStatus.APPROVED, assignment__active=True)
                .exclude(consultation__status=Status.CLOSED)
                .select_related("consultation__state", "area", "approved_by")
                .order_by("approved_at")[:INBOX_ROWS]
            )
            context["overdue"] = filter_consultations(consultations, {"due": "overdue"}, today)[
                :INBOX_ROWS
            ]
        elif user.role in AREA_ROLES:
            context["to_answer"] = self.to_answer(user)
            context["to_approve"] = (
                Answer.objects.filter(
                    status__in=EDITABLE_ANSWER,
                    assignment__active=True,
                    area__members__user=user,
                    area__members__is_head=True,
                )
                .exclude(consultation__status=Status.CLOSED)
                .select_related("consultation", "area", "created_by")
                .order_by("updated_at")[:INBOX_ROWS]
            )
            context["areas"] = Area.objects.filter(members__user=user)
        else:
            context["answered"] = consultations.filter(status=Status.FORWARDED)[:INBOX_ROWS]
            context["in_progress"] = consultations.filter(
                status__in=[Status.REGISTERED, Status.ASSIGNED, Status.ANSWERED]
            )[:INBOX_ROWS]
        return render(request, "liaison/inbox.html", context)

    def to_answer(self, user):
        assignments = (
            Assignment.objects.filter(
                active=True, answered_at__isnull=True, area__members__user=user
            )
            .exclude(consultation__status=Status.CLOSED)
            .select_related("consultation__doc_type", "consultation__state", "area")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.exclude(status=AnswerStatus.FORWARDED),
                    to_attr="open_answers",
                )
            )
            .order_by("due_date", "pk")[:INBOX_ROWS]
        )
        for assignment in assignments:
            assignment.open_answer = (assignment.open_answers or [None])[0]
        return assignments


class ConsultationListView(SivopleMixin, View):
    def get(self, request):
        form = FilterForm(request.user, data=request.GET or None)
        consultations = consultations_for(request.user)
        if form.is_valid():
            consultations = filter_consultations(consultations, form.cleaned_data)
        page = Paginator(consultations, settings.APOYO_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "form": form,
            "page_obj": page,
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
        }
        return render(request, "liaison/list.html", context)


EXPORT_HEADER = [
    "Folio SIVOPLE",
    "Folio del documento del OPL",
    "Tipo",
    "Entidad",
    "OPL",
    "Asunto",
    "Descripción",
    "Estado",
    "Fecha y hora de registro",
    "Áreas",
    "Fecha límite",
    "Vencida",
    "Concluida",
]


class ExportView(SivopleMixin, View):
    """The filtered list as CSV or XLSX (cells protected against formula injection)."""

    def get(self, request, fmt):
        if fmt not in {"csv", "xlsx"}:
            raise Http404
        form = FilterForm(request.user, data=request.GET or None)
        consultations = consultations_for(request.user).order_by("created_at", "pk")
        if form.is_valid():
            consultations = filter_consultations(consultations, form.cleaned_data)
        today = timezone.localdate()
        names = dict(Opl.objects.values_list("state_id", "name"))
        rows = (self.row(c, names, today) for c in consultations.iterator(chunk_size=500))
        filename = f"sivople-{today:%Y%m%d}"
        if fmt == "xlsx":
            return xlsx_response(f"{filename}.xlsx", [("Consultas", EXPORT_HEADER, rows)])
        return csv_response(f"{filename}.csv", EXPORT_HEADER, rows)

    @staticmethod
    def row(consultation, names, today):
        overdue = (
            consultation.next_due is not None
            and consultation.next_due < today
            and consultation.status != Status.CLOSED
        )
        return [
            consultation.folio,
            consultation.opl_folio,
            consultation.doc_type.code,
            consultation.state.abbreviation,
            names.get(consultation.state_id, ""),
            consultation.subject,
            consultation.description,
            consultation.get_status_display(),
            consultation.created_at,
            ", ".join(a.area.code for a in consultation.current_assignments),
            consultation.next_due,
            "Sí" if overdue else "No",
            consultation.closed_at,
        ]


# Registering and the folio page -------------------------------------------------------------------


class RegisterView(SivopleMixin, View):
    policy = policies.is_opl_staff

    def get(self, request):
        return self.render(request, RegisterForm())

    def post(self, request):
        form = RegisterForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form, status=400)
        data = form.cleaned_data
        try:
            consultation = services.register(
                request.user,
                data["doc_type"],
                data["opl_folio"],
                data["subject"],
                data["description"],
                files=data["files"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
            return self.render(request, form, status=400)
        messages.success(
            request,
            f"Registrada con el folio {consultation.folio}. La UTVOPL la turnará al área que "
            "corresponda.",
        )
        return redirect("liaison:detail", pk=consultation.pk)

    def render(self, request, form, status=200):
        return render(request, "liaison/register.html", {"form": form}, status=status)


class DetailView(SivopleMixin, View):
    def get(self, request, pk):
        return render_detail(request, visible_consultation(request, pk))


def render_detail(request, consultation, status=200, **forms):
    """The folio page: its data, areas, answers, follow-ups, timeline and the user's actions."""
    user = request.user
    is_utvopl = services.is_utvopl(user)
    is_opl = services.is_opl_of(user, consultation)
    is_ine = user.role in AREA_ROLES or is_utvopl
    closed = consultation.status == Status.CLOSED
    memberships = {m.area_id: m.is_head for m in AreaMember.objects.filter(user=user)}
    today = timezone.localdate()

    assignments = list(
        consultation.assignments.select_related("area", "assigned_by").prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.exclude(status=AnswerStatus.FORWARDED),
                to_attr="open_answers",
            )
        )
    )
    for assignment in assignments:
        assignment.overdue = assignment.is_overdue(today) and not closed
        assignment.open_answer = (assignment.open_answers or [None])[0]
        assignment.can_answer = (
            assignment.pending
            and not closed
            and assignment.area_id in memberships
            and (assignment.open_answer is None or assignment.open_answer.editable)
        )
        if is_utvopl and assignment.active and not closed:
            prefix = f"r{assignment.pk}"
            bound = forms.get("reassign_form")
            assignment.reassign_form = (
                bound
                if bound is not None and bound.prefix == prefix
                else ReassignForm(prefix=prefix)
            )

    answers = list(
        Answer.objects.visible_to(user)
        .filter(consultation=consultation)
        .select_related("area", "created_by", "approved_by", "forwarded_by", "assignment")
        .prefetch_related("attachments")
    )
    for answer in answers:
        open_step = not closed and answer.assignment.active
        answer.can_approve = (
            open_step and answer.editable and memberships.get(answer.area_id) is True
        )
        answer.can_forward = open_step and is_utvopl and answer.status == AnswerStatus.APPROVED
        if answer.can_forward:
            prefix = f"d{answer.pk}"
            bound = forms.get("return_form")
            answer.return_form = (
                bound if bound is not None and bound.prefix == prefix else ReturnForm(prefix=prefix)
            )

    events = consultation.events.select_related("actor", "area")
    if not is_ine:
        events = events.exclude(kind__in=INTERNAL_EVENTS)
    can_follow_up = is_opl and consultation.status in {Status.FORWARDED, Status.CLOSED}
    assign_form = forms.get("assign_form")
    if assign_form is None and is_utvopl and not closed:
        assign_form = AssignForm(consultation)
    follow_up_form = forms.get("follow_up_form")
    if follow_up_form is None and can_follow_up:
        follow_up_form = FollowUpForm()
    context = {
        "consultation": consultation,
        "opl_name": services.opl_name(consultation.state),
        "attachments": consultation.attachments.filter(answer=None, follow_up=None),
        "assignments": assignments,
        "answers": answers,
        "follow_ups": consultation.follow_ups.select_related("created_by").prefetch_related(
            "attachments"
        ),
        "events": events,
        "is_ine": is_ine,
        "is_utvopl": is_utvopl,
        "assign_form": assign_form,
        "follow_up_form": follow_up_form,
        "can_close_opl": is_opl and consultation.status == Status.FORWARDED,
        "close_form": forms.get("close_form")
        or (CloseForm() if is_utvopl and not closed else None),
    }
    return render(request, "liaison/detail.html", context, status=status)


def step_done(request, consultation, step, success):
    """Run a service step; a state that does not allow it becomes an error message."""
    try:
        step()
    except WorkflowError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("liaison:detail", pk=consultation.pk)


# UTVOPL: assign, reassign, forward, return, close -------------------------------------------------


class AssignView(SivopleMixin, View):
    def post(self, request, pk):
        consultation = visible_consultation(request, pk)
        if not services.is_utvopl(request.user):
            raise NotAllowed("Solo la UTVOPL puede turnar consultas a las áreas.")
        form = AssignForm(consultation, request.POST)
        if not form.is_valid():
            return render_detail(request, consultation, status=400, assign_form=form)
        areas = list(form.cleaned_data["areas"])
        codes = ", ".join(area.code for area in areas)
        result = step_done(
            request,
            consultation,
            lambda: services.assign(
                request.user, consultation, areas, form.cleaned_data["instruction"]
            ),
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
        if not services.is_utvopl(request.user):
            raise NotAllowed("Solo la UTVOPL puede reasignar consultas.")
        form = ReassignForm(request.POST, prefix=f"r{assignment.pk}")
        if not form.is_valid():
            return render_detail(request, consultation, status=400, reassign_form=form)
        data = form.cleaned_data
        return step_done(
            request,
            consultation,
            lambda: services.reassign(
                request.user, assignment, data["area"], data["reason"], data["instruction"]
            ),
            f"Reasignada de {assignment.area.code} a {data['area'].code}.",
        )


def visible_answer(request, pk):
    """An answer of a folio the user sees (its own visibility is checked by each step)."""
    answer = get_object_or_404(Answer.objects.select_related("area"), pk=pk)
    consultation = visible_consultation(request, answer.consultation_id)
    if not Answer.objects.visible_to(request.user).filter(pk=answer.pk).exists():
        raise Http404
    return answer, consultation


class ApproveView(SivopleMixin, View):
    def post(self, request, pk):
        answer, consultation = visible_answer(request, pk)
        return step_done(
            request,
            consultation,
            lambda: services.approve_answer(request.user, answer),
            f"Respuesta de {answer.area.code} aprobada; pasa a la UTVOPL para remitirla al OPL.",
        )


class ForwardView(SivopleMixin, View):
    def post(self, request, pk):
        answer, consultation = visible_answer(request, pk)
        return step_done(
            request,
            consultation,
            lambda: services.forward_answer(request.user, answer),
            f"Respuesta de {answer.area.code} remitida al OPL.",
        )


class ReturnView(SivopleMixin, View):
    def post(self, request, pk):
        answer, consultation = visible_answer(request, pk)
        if not services.is_utvopl(request.user):
            raise NotAllowed("Solo la UTVOPL puede devolver respuestas a las áreas.")
        form = ReturnForm(request.POST, prefix=f"d{answer.pk}")
        if not form.is_valid():
            return render_detail(request, consultation, status=400, return_form=form)
        return step_done(
            request,
            consultation,
            lambda: services.return_answer(request.user, answer, form.cleaned_data["comments"]),
            f"Respuesta devuelta a {answer.area.code} con observaciones.",
        )


class CloseView(SivopleMixin, View):
    def post(self, request, pk):
        consultation = visible_consultation(request, pk)
        form = CloseForm(request.POST)
        if not form.is_valid():
            return render_detail(request, consultation, status=400, close_form=form)
        note = form.cleaned_data["note"]
        return step_done(
            request,
            consultation,
            lambda: services.close(request.user, consultation, note),
            f"{consultation.folio} concluida.",
        )


# Areas: draft and approve -------------------------------------------------------------------------


class AnswerView(SivopleMixin, View):
    """Draft or edit the area's answer to one assignment."""

    def get_assignment(self, request, pk):
        assignment = get_object_or_404(Assignment.objects.select_related("area"), pk=pk)
        consultation = visible_consultation(request, assignment.consultation_id)
        if not services.is_member(request.user, assignment.area):
            raise NotAllowed(
                f"Solo los usuarios del área {assignment.area.code} responden por ella."
            )
        answer = assignment.answers.exclude(status=AnswerStatus.FORWARDED).first()
        return assignment, consultation, answer

    def get(self, request, pk):
        assignment, consultation, answer = self.get_assignment(request, pk)
        answerable = (
            assignment.pending
            and consultation.status != Status.CLOSED
            and (answer is None or answer.editable)
        )
        if not answerable:
            messages.error(
                request,
                f"La respuesta de {assignment.area.code} no se puede editar ahora: ya fue aprobada "
                "o respondida, o el turno ya no está vigente.",
            )
            return redirect("liaison:detail", pk=consultation.pk)
        initial = {"text": answer.text} if answer else {}
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
            services.save_answer(
                request.user,
                assignment,
                data["text"],
                files=data["files"],
                remove=data.get("remove") or (),
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
        return render(request, "liaison/answer_form.html", context, status=status)


# The OPL: follow-up -------------------------------------------------------------------------------


class FollowUpView(SivopleMixin, View):
    def post(self, request, pk):
        consultation = visible_consultation(request, pk)
        if not services.is_opl_of(request.user, consultation):
            raise NotAllowed("Solo el OPL que registró la consulta puede pedir un seguimiento.")
        form = FollowUpForm(request.POST, request.FILES)
        if not form.is_valid():
            return render_detail(request, consultation, status=400, follow_up_form=form)
        data = form.cleaned_data
        return step_done(
            request,
            consultation,
            lambda: services.ask_follow_up(
                request.user, consultation, data["text"], files=data["files"]
            ),
            f"Seguimiento enviado en el folio {consultation.folio}.",
        )


# Attachments --------------------------------------------------------------------------------------


class AttachmentView(SivopleMixin, View):
    """The only way to a file: the folio must be visible to the user, and an answer's file only
    once the user may see that answer (the OPL, once it was forwarded)."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment, pk=pk)
        visible_consultation(request, attachment.consultation_id)
        if (
            attachment.answer_id
            and not Answer.objects.visible_to(request.user).filter(pk=attachment.answer_id).exists()
        ):
            raise Http404
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
        )


# Catalogues (UTVOPL) ------------------------------------------------------------------------------


class DocumentTypeListView(UtvoplMixin, View):
    def get(self, request):
        return self.render(request, DocumentTypeForm())

    def post(self, request):
        form = DocumentTypeForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        doc_type = form.save()
        messages.success(request, f"Tipo de documento {doc_type.code} agregado.")
        return redirect("liaison:types")

    def render(self, request, form, status=200):
        context = {"form": form, "types": DocumentType.objects.all()}
        return render(request, "liaison/types.html", context, status=status)


class DocumentTypeEditView(UtvoplMixin, View):
    def get(self, request, pk):
        doc_type = get_object_or_404(DocumentType, pk=pk)
        return self.render(request, DocumentTypeForm(instance=doc_type))

    def post(self, request, pk):
        doc_type = get_object_or_404(DocumentType, pk=pk)
        form = DocumentTypeForm(request.POST, instance=doc_type)
        if not form.is_valid():
            return self.render(request, form, status=400)
        form.save()
        messages.success(request, f"Tipo de documento {doc_type.code} actualizado.")
        return redirect("liaison:types")

    def render(self, request, form, status=200):
        return render(request, "liaison/type_form.html", {"form": form}, status=status)


class AreaListView(UtvoplMixin, View):
    def get(self, request):
        return self.render(request, AreaForm())

    def post(self, request):
        form = AreaForm(request.POST)
        if not form.is_valid():
            return self.render(request, form, status=400)
        area = form.save()
        messages.success(request, f"Área {area.code} agregada; ahora agregue a sus usuarios.")
        return redirect("liaison:area", pk=area.pk)

    def render(self, request, form, status=200):
        areas = Area.objects.prefetch_related(
            Prefetch("members", queryset=AreaMember.objects.select_related("user"))
        )
        return render(request, "liaison/areas.html", {"form": form, "areas": areas}, status=status)


class AreaEditView(UtvoplMixin, View):
    """An area's data and its users (who receives its assignments, who approves its answers)."""

    def get(self, request, pk):
        area = get_object_or_404(Area, pk=pk)
        return self.render(request, area, AreaForm(instance=area), MemberForm(area))

    def post(self, request, pk):
        area = get_object_or_404(Area, pk=pk)
        action = request.POST.get("action")
        if action == "add_member":
            form = MemberForm(area, request.POST)
            if not form.is_valid():
                return self.render(request, area, AreaForm(instance=area), form, status=400)
            member = AreaMember.objects.create(
                area=area, user=form.cleaned_data["user"], is_head=form.cleaned_data["is_head"]
            )
            messages.success(request, f"{member.user} agregado a {area.code}.")
        elif action in {"remove_member", "toggle_head"}:
            member = get_object_or_404(area.members, pk=request.POST.get("member"))
            if action == "remove_member":
                member.delete()
                messages.success(request, f"{member.user} ya no pertenece a {area.code}.")
            else:
                member.is_head = not member.is_head
                member.save(update_fields=["is_head"])
                messages.success(
                    request,
                    f"{member.user} {'es titular' if member.is_head else 'ya no es titular'} "
                    f"de {area.code}.",
                )
        else:
            form = AreaForm(request.POST, instance=area)
            if not form.is_valid():
                return self.render(request, area, form, MemberForm(area), status=400)
            form.save()
            messages.success(request, f"Área {area.code} actualizada.")
        return redirect("liaison:area", pk=area.pk)

    def render(self, request, area, form, member_form, status=200):
        context = {
            "area": area,
            "form": form,
            "member_form": member_form,
            "members": area.members.select_related("user"),
        }
        return render(request, "liaison/area_form.html", context, status=status)
