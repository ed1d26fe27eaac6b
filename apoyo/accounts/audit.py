"""The bitácora: every read or export of personal data, sign-ins, failed sign-ins, two-step
verification events, role changes and refusals (DESIGN.md "Security and personal data";
LGPDPPSO art. 31 asks for security measures that let the institute know who accessed the data).

Entries form a hash chain in id order (see AccessLog): `record` takes a database lock only for
the short insert, reads the last hash and writes the new entry with its own. On PostgreSQL the
web's database user needs only INSERT and SELECT on the table (README, "Bitácora"). On SQLite the
entries are written to a database file of their own (accounts.routers), in a transaction apart
from the page's: the entry is committed before the page that shows the data is answered.
"""

import datetime
import hashlib
import ipaddress
import json

from django.conf import settings
from django.db import connections, transaction

from apoyo.accounts.models import AccessLog
from apoyo.accounts.routers import audit_database

# Any constant identifies the lock; this one spells "bitacora" in ASCII.
CHAIN_LOCK = 0x6269746163
CLI_USER = "línea de comandos"
# Who a query of the public consulta ciudadana was (apoyo.citizens): nobody signed in.
CITIZEN_USER = "consulta ciudadana"


def client_address(request):
    """The client's address: the connection's own, or behind APOYO_NUM_PROXIES trusted proxies,
    the one the outermost of them saw (each proxy appends to X-Forwarded-For)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.APOYO_NUM_PROXIES
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return normalized_address(forwarded[-proxies]) or remote


def normalized_address(value):
    try:
        return ipaddress.ip_address(str(value).strip()).compressed
    except ValueError:
        return None


def entry_digest(previous_hash, entry):
    """The SHA-256 that chains `entry` to the one before it. The fields are serialised as a JSON
    list, so no value can imitate a separator."""
    at = entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = [
        previous_hash,
        at,
        entry.user_id,
        entry.username,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.detail,
        entry.address or "",
    ]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(user, action, object_type, object_id="", detail="", address=None, username=None):
    """Write one entry of the bitácora, chained to the last one. `user` may be None (a failed
    sign-in, the command line); `username` then says who."""
    entry = AccessLog(
        user=user if user is not None and user.is_authenticated else None,
        username=(username if username is not None else getattr(user, "username", ""))[:150],
        action=action[:40],
        object_type=object_type[:40],
        object_id=str(object_id)[:40],
        detail=str(detail)[:300],
        address=normalized_address(address) if address else None,
    )
    with transaction.atomic(using=audit_database()):
        lock_chain()
        last = AccessLog.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry.previous_hash = last or ""
        entry.entry_hash = entry_digest(entry.previous_hash, entry)
        entry.save()
    return entry


def lock_chain():
    """Serialise writers so each entry chains to the one written just before. SQLite's writes are
    already serialised (transactions begin IMMEDIATE)."""
    connection = connections[audit_database()]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def log_access(request, action, object_type, object_id="", detail=""):
    """Record that request.user saw, exported or was refused something."""
    return record(
        request.user,
        action,
        object_type,
        object_id,
        detail,
        address=client_address(request),
    )


def log_command(action, object_type, object_id="", detail=""):
    """Record a read or export made through a batch command (no signed-in user)."""
    import getpass

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "desconocido"
    return record(None, action, object_type, object_id, detail, username=f"{CLI_USER}: {who}")


PURGE_ACTION = "purga de bitácora"


def purge_before(cutoff):
    """Delete the entries written before `cutoff` (their retention period is over) and record the
    purge, with the hash of the last entry removed: the chain then starts from that hash, and
    verification accepts no other start. Returns how many were deleted."""
    old = AccessLog.objects.filter(at__lt=cutoff)
    last = old.order_by("-id").values_list("id", "entry_hash").first()
    if last is None:
        return 0
    with transaction.atomic(using=audit_database()):
        lock_chain()
        deleted, _ = AccessLog.objects.filter(id__lte=last[0]).delete()
    detail = f"{deleted} entradas hasta la {last[0]}; huella {last[1]}"
    log_command(PURGE_ACTION, "bitácora", last[0], detail)
    return deleted


def chain_starts(first):
    """The hashes a chain may start from: none (the first entry ever) or one a purge recorded."""
    starts = {""}
    for detail in AccessLog.objects.filter(action=PURGE_ACTION).values_list("detail", flat=True):
        starts.add(detail.rsplit("huella ", 1)[-1])
    return first.previous_hash in starts


def first_broken_link(entries):
    """The first entry whose hash or link to the previous one does not hold, or None. `entries`
    in id order; the first may link to the last entry a purge removed (purge_before), and to
    nothing else."""
    previous = None
    for entry in entries:
        if previous is None and not chain_starts(entry):
            return entry
        if previous is not None and entry.previous_hash != previous:
            return entry
        if entry.entry_hash != entry_digest(entry.previous_hash, entry):
            return entry
        previous = entry.entry_hash
    return None
