from django.urls import path

from apoyo.liaison.views import catalogues, exports, folio, lists, steps

app_name = "liaison"

urlpatterns = [
    path("", lists.InboxView.as_view(), name="inbox"),
    path("consultas/", lists.ConsultationListView.as_view(), name="list"),
    path("consultas/exportar.<str:fmt>", exports.ExportView.as_view(), name="export"),
    path("consultas/nueva/", folio.RegisterView.as_view(), name="register"),
    path("consultas/<int:pk>/", folio.DetailView.as_view(), name="detail"),
    path("consultas/<int:pk>/turnar/", steps.AssignView.as_view(), name="assign"),
    path("consultas/<int:pk>/seguimiento/", steps.FollowUpView.as_view(), name="follow_up"),
    path("consultas/<int:pk>/concluir/", steps.CloseView.as_view(), name="close"),
    path("turnos/<int:pk>/reasignar/", steps.ReassignView.as_view(), name="reassign"),
    path("turnos/<int:pk>/respuesta/", steps.AnswerView.as_view(), name="answer"),
    path("respuestas/<int:pk>/aprobar/", steps.ApproveView.as_view(), name="approve"),
    path("respuestas/<int:pk>/remitir/", steps.ForwardView.as_view(), name="forward"),
    path("respuestas/<int:pk>/devolver/", steps.ReturnView.as_view(), name="return"),
    path("anexos/<int:pk>/", folio.AttachmentView.as_view(), name="attachment"),
    path("catalogos/tipos/", catalogues.DocumentTypeListView.as_view(), name="types"),
    path("catalogos/tipos/<int:pk>/", catalogues.DocumentTypeEditView.as_view(), name="type_edit"),
    path("catalogos/areas/", catalogues.AreaListView.as_view(), name="areas"),
    path("catalogos/areas/<int:pk>/", catalogues.AreaEditView.as_view(), name="area"),
]
