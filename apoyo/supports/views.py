from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import (
    AspirantRequiredMixin,
    CaptureRequiredMixin,
    OplAdminRequiredMixin,
)
from apoyo.aspirants.models import Aspirant
from apoyo.core.identity import normalize_text
from apoyo.core.pagination import paginate
from apoyo.processes.models import Process
from apoyo.supports import services
from apoyo.supports.forms import (
    CedulaOpenForm,
    CorrectionForm,
    SupportFilterForm,
    SupportRowForm,
    WithdrawForm,
)
from apoyo.supports.models import Cedula, Channel, Inconsistency, Status, Support
from apoyo.supports.scans import support_images
from apoyo.supports.states import SupportState, filter_state, state_counts, with_state


def search_supports(queryset, text):
    """Search by folio, clave de elector or name (any word of the name, in any order)."""
    text = normalize_text(text)
    if not text:
        return queryset
    key = text.replace(" ", "").replace("-", "")
    match = Q(cedula__reference=text) | Q(elector_key__startswith=key)
    words = Q()
    for word in text.split():
        words &= (
            Q(name__contains=word)
            | Q(paternal_surname__contains=word)
            | Q(maternal_surname__contains=word)
        )
    return queryset.filter(match | words)


def status_counts(queryset):
    """Supports per derived state (supports.states) and per channel, for the summaries at the top
    of lists and portals."""
    by_state = state_counts(with_state(queryset))
    rows = queryset.values("channel").annotate(n=Count("id")).order_by()
    by_channel = {value: 0 for value, _ in Channel.choices}
    for row in rows:
        by_channel[row["channel"]] += row["n"]
    return {
        "total": sum(n for _, _, n in by_state),
        "by_state": by_state,
        "by_channel": [(label, by_channel[value]) for value, label in Channel.choices],
    }


class DashboardView(CaptureRequiredMixin, View):
    def get(self, request):
        aspirants = (
            Aspirant.objects.visible_to(request.user)
            .select_related("office__process")
            .annotate(
                captured=Count("supports", filter=~Q(supports__status=Status.WITHDRAWN)),
                pending=Count("supports", filter=Q(supports__status=Status.PENDING_REVIEW)),
                rejected=Count(
                    "supports",
                    filter=Q(
                        supports__status=Status.PRELIMINARY, supports__inconsistency__isnull=False
                    ),
                ),
                withdrawn=Count("supports", filter=Q(supports__status=Status.WITHDRAWN)),
            )
            .order_by("office__process", "office__code", "code")
        )
        supports = Support.objects.visible_to(request.user)
        return render(
            request,
            "supports/dashboard.html",
            {"aspirants": aspirants, "counts": status_counts(supports)},
        )


class CaptureView(CaptureRequiredMixin, View):
    """Step 1 of manual capture: pick process, office and aspirant, and open a cédula by folio."""

    def get(self, request):
        form = CedulaOpenForm(request.user, initial=self.initial(request))
        if request.GET.get("process"):
            form = CedulaOpenForm(request.user, data=request.GET)
            form.errors.clear()
        return self.render(request, form)

    def post(self, request):
        form = CedulaOpenForm(request.user, data=request.POST)
        if not form.is_valid():
            return self.render(request, form)
        data = form.cleaned_data
        cedula, errors = services.open_cedula(
            request.user, data["aspirant"], data["reference"], data["date"]
        )
        if errors:
            for error in errors:
                field = "reference" if error.column == "NUMERO_REFERENCIA" else "date"
                form.add_error(field, error.message)
            return self.render(request, form)
        return redirect("supports:cedula", pk=cedula.pk)

    def initial(self, request):
        first = Process.objects.visible_to(request.user).first()
        return {"process": first.pk} if first else {}

    def render(self, request, form):
        recent = (
            Cedula.objects.visible_to(request.user)
            .filter(created_by=request.user)
            .select_related("aspirant")
            .annotate(rows=Count("supports", filter=~Q(supports__status=Status.WITHDRAWN)))
            .order_by("-created_at")[:10]
        )
        return render(request, "supports/capture.html", {"form": form, "recent": recent})


class CedulaView(CaptureRequiredMixin, View):
    """Step 2: capture the rows of one cédula, one after another, from the keyboard."""

    def get_cedula(self, request, pk):
        cedulas = Cedula.objects.visible_to(request.user).select_related(
            "aspirant__office__process"
        )
        return get_object_or_404(cedulas, pk=pk)

    def get(self, request, pk):
        cedula = self.get_cedula(request, pk)
        # The page lists every row of the cédula: names, claves and OCRs.
        log_access(request, "ver", "cédula", cedula.pk, cedula.reference)
        form = SupportRowForm(cedula.aspirant.office.process.state_id)
        return self.render(request, cedula, form)

    def post(self, request, pk):
        cedula = self.get_cedula(request, pk)
        form = SupportRowForm(cedula.aspirant.office.process.state_id, data=request.POST)
        if not form.is_valid():
            return self.render(request, cedula, form, status=400)
        result = services.capture_support(request.user, cedula, form.cleaned_data)
        if result.errors:
            form.add_row_errors(result.errors)
            return self.render(request, cedula, form, status=400)
        messages.success(
            request,
            f"Apoyo de {result.support.elector_key} guardado en la cédula {cedula.reference}.",
        )
        for warning in result.warnings:
            messages.warning(request, f"Advertencia ({result.support.elector_key}): {warning}")
        return redirect("supports:cedula", pk=cedula.pk)

    def render(self, request, cedula, form, status=200):
        rows = with_state(cedula.supports.select_related("inconsistency")).order_by("id")
        context = {"cedula": cedula, "form": form, "rows": rows}
        return render(request, "supports/cedula.html", context, status=status)


class SupportListView(CaptureRequiredMixin, View):
    def get(self, request):
        form = SupportFilterForm(request.user, data=request.GET or None)
        supports = with_state(
            Support.objects.visible_to(request.user).select_related(
                "aspirant__office", "cedula", "inconsistency"
            )
        )
        if form.is_valid():
            supports = filter_supports(supports, form.cleaned_data)
        page = paginate(request, supports)
        log_access(request, "listar", "apoyos", detail=request.GET.urlencode())
        return render(
            request,
            "supports/support_list.html",
            {"form": form, "page": page, "counts": status_counts(supports)},
        )


def filter_supports(supports, data):
    supports = search_supports(supports, data["q"])
    if data["office"]:
        supports = supports.filter(aspirant__office=data["office"])
    if data["aspirant"]:
        supports = supports.filter(aspirant=data["aspirant"])
    if data["channel"]:
        supports = supports.filter(channel=data["channel"])
    if data["status"]:
        supports = filter_state(supports, data["status"])
    if data["inconsistency"] == "none":
        supports = supports.filter(inconsistency__isnull=True)
    elif data["inconsistency"]:
        supports = supports.filter(inconsistency__code=data["inconsistency"])
    return supports


def get_visible_support(request, pk):
    supports = with_state(Support.objects.visible_to(request.user)).select_related(
        "aspirant__office__process", "cedula", "inconsistency", "captured_by", "withdrawn_by"
    )
    return get_object_or_404(supports, pk=pk)


class SupportDetailView(CaptureRequiredMixin, View):
    def get(self, request, pk):
        support = get_visible_support(request, pk)
        log_access(request, "ver", "apoyo", support.pk)
        changes = support.changes.select_related("user")
        return render(
            request, "supports/support_detail.html", {"support": support, "changes": changes}
        )


class SupportCorrectView(CaptureRequiredMixin, View):
    def get(self, request, pk):
        support = get_visible_support(request, pk)
        log_access(request, "ver", "apoyo", support.pk, "corregir")
        return self.render(request, support, correction_form(support))

    def post(self, request, pk):
        support = get_visible_support(request, pk)
        form = correction_form(support, data=request.POST)
        if not form.is_valid():
            return self.render(request, support, form, status=400)
        changes = dict(form.cleaned_data)
        changes["FECHA_APOYO"] = changes["FECHA_APOYO"] or support.support_date
        result = services.correct_support(request.user, support, changes)
        if result.errors:
            form.add_row_errors(result.errors)
            return self.render(request, support, form, status=400)
        messages.success(request, "Corrección guardada; el cambio quedó en el historial.")
        for warning in result.warnings:
            messages.warning(request, f"Advertencia: {warning}")
        return redirect("supports:detail", pk=support.pk)

    def render(self, request, support, form, status=200):
        context = {"support": support, "form": form}
        return render(request, "supports/support_correct.html", context, status=status)


def correction_form(support, data=None):
    return CorrectionForm(
        support.aspirant.office.process.state_id,
        data=data,
        initial=services.support_values(support),
        outcome_locked=services.outcome_locked(support),
    )


class SupportWithdrawView(CaptureRequiredMixin, View):
    def get(self, request, pk):
        support = get_visible_support(request, pk)
        log_access(request, "ver", "apoyo", support.pk, "retirar")
        return self.render(request, support, WithdrawForm())

    def post(self, request, pk):
        support = get_visible_support(request, pk)
        form = WithdrawForm(data=request.POST)
        if not form.is_valid():
            return self.render(request, support, form, status=400)
        errors = services.withdraw_support(request.user, support, form.cleaned_data["reason"])
        if errors:
            form.add_error(None, errors[0].message)
            return self.render(request, support, form, status=400)
        messages.success(
            request, "El apoyo fue retirado. Se conserva con su historial y no cuenta."
        )
        return redirect("supports:detail", pk=support.pk)

    def render(self, request, support, form, status=200):
        context = {"support": support, "form": form}
        return render(request, "supports/support_withdraw.html", context, status=status)


class PortalView(AspirantRequiredMixin, View):
    """The aspirant portal: their own supports only, with their channel, status and review."""

    def get(self, request):
        aspirant = get_object_or_404(Aspirant.objects.visible_to(request.user))
        supports = with_state(
            Support.objects.visible_to(request.user).select_related("cedula", "inconsistency")
        )
        counts = status_counts(supports)
        supports = search_supports(supports, request.GET.get("q", ""))
        supports = filter_state(supports, request.GET.get("state", ""))
        page = paginate(request, supports)
        log_access(request, "listar", "apoyos propios", aspirant.pk)
        context = {
            "aspirant": aspirant,
            "counts": counts,
            "page": page,
            "states": SupportState.choices,
        }
        return render(request, "supports/portal.html", context)


class PortalSupportView(AspirantRequiredMixin, View):
    def get(self, request, pk):
        support = get_visible_support(request, pk)
        log_access(request, "ver", "apoyo propio", support.pk)
        return self.render(request, support)

    def post(self, request, pk):
        """Withdraw a row of the aspirant's own pre-captura not yet decided by the OPL."""
        support = get_visible_support(request, pk)
        reason = request.POST.get("reason")
        errors = services.withdraw_own_precapture(request.user, support, reason)
        if errors:
            return self.render(request, support, errors=errors, status=400)
        messages.success(request, f"Apoyo {support.elector_key} retirado.")
        return redirect("supports:portal_support", pk=support.pk)

    def render(self, request, support, errors=(), status=200):
        scans = support.cedula.scans.all() if support.cedula_id else []
        images = support_images(support) if support.channel == Channel.APP else []
        context = {
            "support": support,
            "scans": scans,
            "images": images,
            "errors": errors,
            "can_withdraw": services.undecided_precapture(support),
        }
        return render(request, "supports/portal_support.html", context, status=status)


class InconsistencyForm(forms.ModelForm):
    class Meta:
        model = Inconsistency
        fields = ["code", "name", "active", "needs_confirmation"]

    def clean_code(self):
        code = normalize_text(self.cleaned_data["code"]).replace(" ", "_")
        if Inconsistency.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Ya existe un tipo de inconsistencia con esa clave.")
        return code


class InconsistencyCatalogueView(OplAdminRequiredMixin, View):
    """The national catalogue (read-only) and the entity's own codes, which its administrator adds
    and marks active or in need of a second revisor (four eyes). The national codes' four-eyes
    mark is shared by every OPL, so only the system administrator changes it (Django admin)."""

    def get(self, request):
        return self.render(request, InconsistencyForm())

    def post(self, request):
        own = Inconsistency.objects.filter(state=request.user.state_id)
        instance = get_object_or_404(own, pk=request.POST["pk"]) if request.POST.get("pk") else None
        form = InconsistencyForm(request.POST, instance=instance)
        if not form.is_valid():
            return self.render(request, form, status=400)
        form.instance.state_id = request.user.state_id
        form.save()
        messages.success(request, f"Tipo de inconsistencia {form.instance.code} guardado.")
        return redirect("supports:inconsistencies")

    def render(self, request, form, status=200):
        catalogue = Inconsistency.objects.filter(
            Q(state__isnull=True) | Q(state=request.user.state_id)
        )
        context = {"form": form, "catalogue": catalogue}
        return render(request, "supports/inconsistencies.html", context, status=status)
