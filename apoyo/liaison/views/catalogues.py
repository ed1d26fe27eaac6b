"""UTVOPL's catalogues: document types (their code heads the folio, their term sets the due date)
and INE areas with their users."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from apoyo.liaison.forms import AreaForm, DocumentTypeForm, MemberForm
from apoyo.liaison.models import Area, AreaMember, DocumentType
from apoyo.liaison.views.common import UtvoplMixin, page


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
        return page(request, "liaison/types.html", context, status=status)


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
        return page(request, "liaison/type_form.html", {"form": form}, status=status)


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
        return page(request, "liaison/areas.html", {"form": form, "areas": areas}, status=status)


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
            self.change_member(request, area, action)
        else:
            form = AreaForm(request.POST, instance=area)
            if not form.is_valid():
                return self.render(request, area, form, MemberForm(area), status=400)
            form.save()
            messages.success(request, f"Área {area.code} actualizada.")
        return redirect("liaison:area", pk=area.pk)

    def change_member(self, request, area, action):
        member = get_object_or_404(area.members, pk=request.POST.get("member"))
        if action == "remove_member":
            member.delete()
            messages.success(request, f"{member.user} ya no pertenece a {area.code}.")
            return
        member.is_head = not member.is_head
        member.save(update_fields=["is_head"])
        messages.success(
            request,
            f"{member.user} {'es titular' if member.is_head else 'ya no es titular'} "
            f"de {area.code}.",
        )

    def render(self, request, area, form, member_form, status=200):
        context = {
            "area": area,
            "form": form,
            "member_form": member_form,
            "members": area.members.select_related("user"),
        }
        return page(request, "liaison/area_form.html", context, status=status)
