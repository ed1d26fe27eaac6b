from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject

from apoyo.accounts.notifications import unread_count
from apoyo.accounts.policies import UserPolicies


def notifications(request):
    """The unread notices badge shown in the header. Counted only when a template shows it: the
    htmx progress partials polled every second do not."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}


def policies(request):
    """What the signed-in user may do, for templates: {% if can.review %} (accounts.policies)."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"can": UserPolicies(user)}


def page_help(request):
    """The "¿Cómo funciona?" text of the page shown, which base.html folds under its heading: one
    small template per URL name under help/pages/, ":" written "-" (review-queue.html). A page
    without one shows no help."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return {}
    name = "help/pages/{}.html".format(match.view_name.replace(":", "-"))
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return {}
    return {"page_help": name}
