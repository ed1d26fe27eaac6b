from django import forms
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from apoyo.accounts.audit import log_access
from apoyo.accounts.permissions import (
    AspirantRequiredMixin,
    CaptureRequiredMixin,
    OplAdminRequiredMixin,
)
from apoyo.aspirants.models import Aspirant
from apoyo.core.exports import list_response
from apoyo.core.identity import normalize_text
from apoyo.core.pagination import paginate
from apoyo.supports import exports, services
from apoyo.supports.forms import (
    CorrectionForm,
    SupportFilterForm,
    WithdrawForm,
    show_collection_period,
)
from apoyo.supports.models import (
    Channel,
    Inconsistency,
    JudgedSupport,
    Status,
    Support,
    SupportTally,
    open_proposals,
)
from apoyo.supports.policies import can_correct_own_support
from apoyo.supports.scans import support_images
from apoyo.supports.search import capped_count, search_supports
from apoyo.supports.states import SupportState, filter_state, with_state


def grouped_counts(queryset):
    """Supports per (status, channel) with how many of each group carry a tipo de inconsistencia
    and, once a compulsa judged any support, how many are accepted and judged (JudgedSupport, kept
    with the tally): one pass over the supports, without the per-row subqueries of with_state
    (which the lists need only for the 50 rows of a page)."""
    counts = {
        "n": Count("id"),
        "rejected": Count("id", filter=Q(inconsistency__isnull=False)),
    }
    if JudgedSupport.objects.exists():
        judged = Exists(JudgedSupport.objects.filter(support_id=OuterRef("pk")))
        accepted = Q(status=Status.PRELIMINARY, inconsistency__isnull=True)
        counts["verified"] = Count("id", filter=accepted & Q(judged))
    return queryset.order_by().values("status", "channel").annotate(**counts)


def awaiting_count(queryset):
    """Pending supports of `queryset` with an open four-eyes proposal: read from the proposals,
    which are few, and never by probing every pending support."""
    proposed = list(open_proposals().values_list("support_id", flat=True).distinct())
    if not proposed:
        return 0
    return queryset.filter(status=Status.PENDING_REVIEW, pk__in=proposed).count()


def tallied(user):
    """The rows of grouped_counts for every support the user may see, by aspirant, read from
    SupportTally (kept by the database) instead of counted."""
    rows = SupportTally.objects.visible_to(user).filter(n__gt=0)
    for row in rows.values("aspirant", "status", "channel", "rejected", "judged", "n"):
        verified = row["judged"] and not row["rejected"]
        yield {
            **row,
            "rejected": row["n"] if row["rejected"] else 0,
            "verified": row["n"] if verified else 0,
        }


def status_counts(queryset, rows=None):
    """Supports per derived state (supports.states) and per channel, for the summaries at the top
    of lists and portals: the same figures as states.state_counts, from the tally's `rows` when
    they cover exactly `queryset` (judged supports included), else from one grouped pass; plus
    the open proposals."""
    totals = dict.fromkeys(Status.values, 0)
    rejected = verified = 0
    by_channel = {value: 0 for value, _ in Channel.choices}
    for row in grouped_counts(queryset) if rows is None else rows:
        totals[row["status"]] += row["n"]
        by_channel[row["channel"]] += row["n"]
        if row["status"] == Status.PRELIMINARY:
            rejected += row["rejected"]
            verified += row.get("verified", 0)
    awaiting = awaiting_count(queryset) if totals[Status.PENDING_REVIEW] else 0
    counts = {
        SupportState.PENDING: totals[Status.PENDING_REVIEW] - awaiting,
        SupportState.AWAITING: awaiting,
        SupportState.REJECTED: rejected,
        SupportState.ACCEPTED: totals[Status.PRELIMINARY] - rejected - verified,
        SupportState.VERIFIED: verified,
        SupportState.WITHDRAWN: totals[Status.WITHDRAWN],
    }
    return {
        "total": sum(counts.values()),
        "by_state": [(state.value, state.label, counts[state]) for state in SupportState],
        "by_channel": [(label, by_channel[value]) for value, label in Channel.choices],
    }


def per_aspirant(rows):
    """The dashboard's figures of each aspirant from the tally's rows."""
    figures = {}
    for row in rows:
        entry = figures.setdefault(
            row["aspirant"], {"captured": 0, "pending": 0, "rejected": 0, "withdrawn": 0}
        )
        if row["status"] == Status.WITHDRAWN:
            entry["withdrawn"] += row["n"]
            continue
        entry["captured"] += row["n"]
        if row["status"] == Status.PENDING_REVIEW:
            entry["pending"] += row["n"]
        else:
            entry["rejected"] += row["rejected"]
    return figures


class DashboardView(CaptureRequiredMixin, View):
    def get(self, request):
        rows = list(tallied(request.user))
        figures = per_aspirant(rows)
        aspirants = list(
            Aspirant.objects.visible_to(request.user)
            .select_related("office__process")
            .order_by("office__process", "office__code", "code")
        )
        empty = {"captured": 0, "pending": 0, "rejected": 0, "withdrawn": 0}
        for aspirant in aspirants:
            for name, value in figures.get(aspirant.pk, empty).items():
                setattr(aspirant, name, value)
        supports = Support.objects.visible_to(request.user)
        return render(
            request,
            "supports/dashboard.html",
            {"aspirants": aspirants, "counts": status_counts(supports, rows)},
        )


def visible_supports(user):
    """Every support the user may see, with its state and what the OPL list shows of it."""
    return with_state(
        Support.objects.visible_to(user).select_related(
            "aspirant__office", "cedula", "inconsistency"
        )
    )


def listed_supports(request):
    """The OPL list's form and its supports (scoped to the user, filtered, annotated with state),
    and whether its search is broad (supports.search)."""
    form = SupportFilterForm(request.user, data=request.GET or None)
    supports = visible_supports(request.user)
    if not form.is_valid():
        return form, supports, False
    supports, broad = filter_supports(supports, form.cleaned_data)
    return form, supports, broad


class SupportListView(CaptureRequiredMixin, View):
    def get(self, request):
        form, supports, broad = listed_supports(request)
        count, capped = capped_count(supports) if broad else (None, False)
        counts = None
        if not capped:
            # The summary counts the same supports the pages list: its total is the list's
            # count. Unfiltered, they are every support the user may see: the tally has them.
            filtered = form.is_bound and form.is_valid() and any(form.cleaned_data.values())
            counts = status_counts(supports, None if filtered else tallied(request.user))
            count = counts["total"]
        # The page's rows are read by id without the filters, which chose them already.
        page = paginate(
            request, supports, count=count, rows=visible_supports(request.user), capped=capped
        )
        log_access(request, "listar", "apoyos", detail=request.GET.urlencode())
        context = {
            "form": form,
            "page": page,
            "counts": counts,
            "capped": count if capped else None,
            "q": form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else "",
        }
        return render(request, "supports/support_list.html", context)


class SupportExportView(CaptureRequiredMixin, View):
    """The OPL list as CSV or XLSX, with the same scope, filters and search as the page (every
    match of a broad search, which the page counts only up to a cap)."""

    def get(self, request, fmt):
        _, supports, _ = listed_supports(request)
        log_access(request, "exportar", "apoyos", detail=f"{fmt} {request.GET.urlencode()}")
        rows = exports.opl_rows(supports)
        return list_response(fmt, "apoyos", "Apoyos", exports.OPL_HEADER, rows)


def filter_supports(supports, data):
    """The list's supports filtered by the form's `data`, and whether its search is broad."""
    supports, broad = search_supports(supports, data["q"])
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
    return supports, broad


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
    form = CorrectionForm(
        support.aspirant.office.process.state_id,
        data=data,
        initial=services.support_values(support),
        outcome_locked=services.outcome_locked(support),
    )
    show_collection_period(form, "FECHA_APOYO", support.aspirant.office)
    return form


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


def own_supports(request, aspirant):
    """The aspirant's own supports (visible_to), annotated with state. Naming the aspirant as well
    lets PostgreSQL's planner, which sees only a join to the aspirant's user, read a page of them
    from their own (aspirant, captured_at, id) index: a search page 31 -> 4 ms at a million,
    against a pass over every aspirant's newest supports."""
    own = Support.objects.visible_to(request.user).filter(aspirant=aspirant)
    return with_state(own.select_related("cedula", "inconsistency"))


def portal_filtered(request, supports):
    """The portal's search and state filter, and whether the search is broad."""
    supports, broad = search_supports(supports, request.GET.get("q", ""))
    return filter_state(supports, request.GET.get("state", "")), broad


def summary_count(counts, q, state):
    """How many supports the portal lists, when its summary already says: every own support
    without a search or a state, those of the state with a state alone (counted in the tally, where
    a COUNT of one state read up to 250,000 supports); None with a search."""
    if q.strip():
        return None
    by_state = {value: count for value, _, count in counts["by_state"]}
    return by_state.get(state, counts["total"])


class PortalView(AspirantRequiredMixin, View):
    """The aspirant portal: their own supports only, with their channel, status and review."""

    def get(self, request):
        aspirant = get_object_or_404(Aspirant.objects.visible_to(request.user))
        supports = own_supports(request, aspirant)
        counts = status_counts(supports, tallied(request.user))
        total = summary_count(counts, request.GET.get("q", ""), request.GET.get("state"))
        listed, broad = portal_filtered(request, supports)
        total, capped = capped_count(listed) if broad else (total, False)
        page = paginate(request, listed, count=total, rows=supports, capped=capped)
        log_access(request, "listar", "apoyos propios", aspirant.pk)
        context = {
            "aspirant": aspirant,
            "counts": counts,
            "page": page,
            "capped": total if capped else None,
            "states": SupportState.choices,
            "q": request.GET.get("q", "").strip(),
        }
        return render(request, "supports/portal.html", context)


class PortalExportView(AspirantRequiredMixin, View):
    """The aspirant's own supports as CSV or XLSX, with the portal's search and state filter."""

    def get(self, request, fmt):
        aspirant = get_object_or_404(Aspirant.objects.visible_to(request.user))
        supports, _ = portal_filtered(request, own_supports(request, aspirant))
        log_access(
            request, "exportar", "apoyos propios", aspirant.pk, f"{fmt} {request.GET.urlencode()}"
        )
        rows = exports.portal_rows(supports)
        filename = f"mis-apoyos-{aspirant.code}"
        return list_response(fmt, filename, "Mis apoyos", exports.PORTAL_HEADER, rows)


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
            "can_correct": can_correct_own_support(request.user, support),
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
