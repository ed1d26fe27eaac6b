"""Django's form templates with their includes inlined, for the forms of the busiest pages.

Django renders a field with up to eight templates (the field, its label and the label's
attributes, the error list twice even when empty, the widget, the input and its attributes) and a
select with two more per option: the supports list's filter form alone rendered 100 templates.
The templates in supports/forms/ produce the same HTML (test_forms_rendering compares them with
Django's) in one template per field part, and skip an empty error list: 125 templates a page
become 25 on the lists, 53 become 19 on the capture page.
"""

from django import forms
from django.forms.renderers import DjangoTemplates

INPUT = "supports/forms/input.html"
# Django's templates that only include input.html, or that include another template per option or
# attribute, and the inlined template that replaces each.
INLINED = {
    "django/forms/field.html": "supports/forms/field.html",
    "django/forms/label.html": "supports/forms/label.html",
    "django/forms/errors/list/default.html": "django/forms/errors/list/ul.html",
    "django/forms/widgets/select.html": "supports/forms/select.html",
    "django/forms/widgets/textarea.html": "supports/forms/textarea.html",
    "django/forms/widgets/input.html": INPUT,
    **{
        f"django/forms/widgets/{kind}.html": INPUT
        for kind in ("text", "search", "number", "email", "date", "time", "hidden", "checkbox")
    },
}


class InlinedRenderer(DjangoTemplates):
    def get_template(self, template_name):
        return super().get_template(INLINED.get(template_name, template_name))


# One instance, whose engine keeps the parsed templates (a renderer per form would parse them
# again for every request).
RENDERER = InlinedRenderer()


class Form(forms.Form):
    default_renderer = RENDERER
