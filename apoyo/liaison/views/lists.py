"""The inbox and the filtered list of folios."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone
from django.views import View

from apoyo.core.search import no_results_message
from apoyo.liaison.forms import FilterForm
from apoyo.liaison.inbox import consultations_for, filter_consultations, inbox, with_deadlines
from apoyo.liaison.views.common import SivopleMixin, page


class InboxView(SivopleMixin, View):
    """What waits for the user: by desk, the folios to assign, answer, approve, forward or read."""

    def get(self, request):
        today = timezone.localdate()
        context = {"today": today, **inbox(request.user, today)}
        return page(request, "liaison/inbox.html", context)


class ConsultationListView(SivopleMixin, View):
    def get(self, request):
        form = FilterForm(request.user, data=request.GET or None)
        consultations = consultations_for(request.user)
        if form.is_valid():
            consultations = filter_consultations(consultations, form.cleaned_data)
        page_obj = Paginator(consultations, settings.APOYO_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        today = timezone.localdate()
        page_obj.object_list = with_deadlines(page_obj.object_list, today)
        context = {
            "form": form,
            "page_obj": page_obj,
            "today": today,
            "empty": no_results_message(form.cleaned_data.get("q") if form.is_valid() else ""),
        }
        return page(request, "liaison/list.html", context)
