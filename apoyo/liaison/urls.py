from django.urls import path

from apoyo.liaison import views

app_name = "liaison"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("consultas/", views.ConsultationListView.as_view(), name="list"),
    path("consultas/exportar.<str:fmt>", views.ExportView.as_view(), name="export"),
    path("consultas/nueva/", views.RegisterView.as_view(), name="register"),
    path("consultas/<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("consultas/<int:pk>/turnar/", views.AssignView.as_view(), name="assign"),
    path("consultas/<int:pk>/seguimiento/", views.FollowUpView.as_view(), name="follow_up"),
    path("consultas/<int:pk>/concluir/", views.CloseView.as_view(), name="close"),
    path("turnos/<int:pk>/reasignar/", views.ReassignView.as_view(), name="reassign"),
    path("turnos/<int:pk>/respuesta/", views.AnswerView.as_view(), name="answer"),
    path("respuestas/<int:pk>/aprobar/", views.ApproveView.as_view(), name="approve"),
    path("respuestas/<int:pk>/remitir/", views.ForwardView.as_view(), name="forward"),
    path("respuestas/<int:pk>/devolver/", views.ReturnView.as_view(), name="return"),
    path("anexos/<int:pk>/", views.AttachmentView.as_view(), name="attachment"),
    path("catalogos/tipos/", views.DocumentTypeListView.as_view(), name="types"),
    path("catalogos/tipos/<int:pk>/", views.DocumentTypeEditView.as_view(), name="type_edit"),
    path("catalogos/areas/", views.AreaListView.as_view(), name="areas"),
    path("catalogos/areas/<int:pk>/", views.AreaEditView.as_view(), name="area"),
]
