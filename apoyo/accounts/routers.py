"""Where the bitácora (AccessLog) is read, written and migrated: settings.AUDIT_DATABASE when
settings define it (SQLite: a file of its own, see core/databases.py), otherwise the one database.
Every other model stays in "default", and only the bitácora is created in the audit file."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

ACCESS_LOG = ("accounts", "accesslog")


def audit_database():
    """The alias of the database that holds the bitácora."""
    if settings.AUDIT_DATABASE in settings.DATABASES:
        return settings.AUDIT_DATABASE
    return DEFAULT_DB_ALIAS


def is_access_log(model):
    return (model._meta.app_label, model._meta.model_name) == ACCESS_LOG


def database_of(model):
    # Said for every model: otherwise Django reads a related object (an entry's user) from the
    # database its instance came from.
    return audit_database() if is_access_log(model) else DEFAULT_DB_ALIAS


class AuditRouter:
    def db_for_read(self, model, **hints):
        return database_of(model)

    def db_for_write(self, model, **hints):
        return database_of(model)

    def allow_relation(self, obj1, obj2, **hints):
        # An entry names its user (a row of the main database) by id, without a constraint.
        return True if is_access_log(obj1) or is_access_log(obj2) else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        audit = audit_database()
        if audit == DEFAULT_DB_ALIAS:
            return None
        if (app_label, model_name) == ACCESS_LOG:
            return db == audit
        return db == DEFAULT_DB_ALIAS
