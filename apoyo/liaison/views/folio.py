"""Registering a folio, its page and its files."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.core.filetypes import CONTENT_TYPES
from apoyo.liaison import policies
from apoyo.liaison.detail import folio_page
from apoyo.liaison.forms import (
    AssignForm,
    CloseForm,
    FollowUpForm,
    ReassignForm,
    RegisterForm,
    ReturnForm,
)
from apoyo.liaison.models import Answer, Attachment
from apoyo.liaison.views.common import SivopleMixin, page, visible_consultation
from apoyo.liaison.workflow import WorkflowError, mark_read, register


class RegisterView(SivopleMixin, View):
    policy = policies.can_register

    def get(self, request):
        return self.render(request, RegisterForm())

    def post(self, request):
        form = RegisterForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form, status=400)
        data = form.cleaned_data
        try:
            consultation = register(
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
        return page(request, "liaison/register.html", {"form": form}, status=status)


class DetailView(SivopleMixin, View):
    def get(self, request, pk):
        consultation = visible_consultation(request, pk)
        mark_read(request.user, consultation)
        return render_detail(request, consultation)


def render_detail(request, consultation, status=200, **forms):
    """The folio page. A step whose form did not validate passes it back bound (`assign_form`,
    `reassign_form`...) so the page shows its errors where it was filled in."""
    context = folio_page(request.user, consultation)
    for assignment in context["assignments"]:
        if assignment.can_reassign:
            assignment.reassign_form = _row_form(
                forms.get("reassign_form"), ReassignForm, f"r{assignment.pk}"
            )
    for answer in context["answers"]:
        if answer.can_return:
            answer.return_form = _row_form(forms.get("return_form"), ReturnForm, f"d{answer.pk}")
    # The OPL closes with one button once answered; UTVOPL, at any time, may leave a note.
    opl_closes = context["may_close"] and not context["closes_at_any_time"]
    context.update(
        assign_form=_step_form(
            forms.get("assign_form"), context["may_assign"], AssignForm, consultation
        ),
        follow_up_form=_step_form(
            forms.get("follow_up_form"), context["may_follow_up"], FollowUpForm
        ),
        can_close_opl=opl_closes,
        close_form=_step_form(
            forms.get("close_form"), context["may_close"] and not opl_closes, CloseForm
        ),
    )
    return page(request, "liaison/detail.html", context, status=status)


def _row_form(bound, form_class, prefix):
    """One row's form: the bound one passed back if it was this row's, else an empty one."""
    if bound is not None and bound.prefix == prefix:
        return bound
    return form_class(prefix=prefix)


def _step_form(bound, offered, form_class, *args):
    """The page's form for a step: the bound one passed back, else an empty one if offered."""
    if bound is not None:
        return bound
    return form_class(*args) if offered else None


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
        log_access(request, "descargar", "anexo SIVOPLE", attachment.pk, attachment.original_name)
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
        )
