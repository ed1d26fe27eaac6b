from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "apoyo.review"
    verbose_name = "Mesa de control"
