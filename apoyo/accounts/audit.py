"""The access log of personal data (DESIGN.md, "Security and personal data")."""

from apoyo.accounts.models import AccessLog


def log_access(request, action, object_type, object_id="", detail=""):
    """Record that request.user saw or exported personal data."""
    AccessLog.objects.create(
        user=request.user if request.user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail[:300],
        address=request.META.get("REMOTE_ADDR") or None,
    )
