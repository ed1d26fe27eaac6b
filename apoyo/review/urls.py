"""Mesa de control: the queue, the review of one support, four-eyes confirmations, the panel."""

from django.urls import path

from apoyo.review import views

app_name = "review"

urlpatterns = [
    path("mesa/", views.ReviewQueueView.as_view(), name="queue"),
    path("mesa/exportar.<str:fmt>", views.ReviewQueueExportView.as_view(), name="queue_export"),
    path("mesa/comenzar/", views.ReviewStartView.as_view(), name="start"),
    path("mesa/apoyos/<int:pk>/", views.ReviewSupportView.as_view(), name="support"),
    path("mesa/apoyos/<int:pk>/saltar/", views.ReviewSkipView.as_view(), name="skip"),
    path("mesa/apoyos/<int:pk>/salir/", views.ReviewLeaveView.as_view(), name="leave"),
    path("mesa/apoyos/<int:pk>/aceptar/", views.ReviewAcceptView.as_view(), name="accept"),
    path(
        "mesa/apoyos/<int:pk>/inconsistencia/",
        views.ReviewInconsistencyView.as_view(),
        name="inconsistency",
    ),
    path("mesa/apoyos/<int:pk>/confirmacion/", views.ReviewConfirmView.as_view(), name="confirm"),
    path("mesa/confirmaciones/", views.ConfirmationListView.as_view(), name="confirmations"),
    path("mesa/panel/", views.ReviewPanelView.as_view(), name="panel"),
]
