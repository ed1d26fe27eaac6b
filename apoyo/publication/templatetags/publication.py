"""The publication card of a compulsa's page (verification/run.html): whether its figures are
public, and the administrator's "Publicar cifras" / "Retirar publicación". A tag, so that the
verification app, a lower layer, needs no import of this one."""

from django import template

from apoyo.publication import policies, services
from apoyo.verification.models import RunStatus

register = template.Library()


@register.inclusion_tag("publication/_run_card.html", takes_context=True)
def publication_card(context, run):
    user = context["request"].user
    finished = run.status == RunStatus.DONE
    return {
        "run": run,
        "finished": finished,
        "publication": services.publication_of(run) if finished else None,
        "can_publish": policies.can_publish(user, run),
    }
