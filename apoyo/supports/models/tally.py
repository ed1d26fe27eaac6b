"""How many supports each aspirant has per status, channel, rejection and whether a compulsa judged
them: the figures at the top of the supports list, the portal and the dashboard, kept up to date
instead of recounted.

Counting a million supports per page view costs about a second on SQLite (issue 15); these rows
are read in microseconds. The database keeps them itself, with triggers on the supports table
(migration 0016), so every way a support is written counts: the ORM, the carga masiva's bulk
insert or COPY, a revert, a purge. On PostgreSQL the triggers run once per statement over its
transition tables, so a COPY of 100,000 rows updates a handful of tally rows once.
"""

from django.db import models

from apoyo.accounts.scoping import scoped_manager


class SupportTally(models.Model):
    aspirant = models.ForeignKey(
        "aspirants.Aspirant", on_delete=models.CASCADE, related_name="support_tallies"
    )
    status = models.CharField(max_length=20)
    channel = models.CharField(max_length=10)
    # A preliminary support with a tipo de inconsistencia (rejected in the mesa de control).
    rejected = models.BooleanField()
    # Judged by some compulsa (JudgedSupport): an accepted support then reads "verificado".
    judged = models.BooleanField(default=False)
    n = models.BigIntegerField(default=0)

    objects = scoped_manager(
        state_path="aspirant__office__process__state", aspirant_path="aspirant"
    )

    class Meta:
        verbose_name = "conteo de apoyos"
        verbose_name_plural = "conteos de apoyos"
        constraints = [
            models.UniqueConstraint(
                fields=["aspirant", "status", "channel", "rejected", "judged"],
                name="support_tally_unique",
            )
        ]

    def __str__(self):
        return f"{self.aspirant_id} {self.status} {self.channel}: {self.n}"


class JudgedSupport(models.Model):
    """A support that some compulsa judged (it has a result): written by the compulsa
    (supports.judged.record_judged), read by the tally's triggers, deleted with the support.

    The id alone, without a foreign key: the tally's delete trigger must still find the row when
    the support itself is deleted, after Django has deleted its results."""

    support_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = "apoyo juzgado"
        verbose_name_plural = "apoyos juzgados"

    def __str__(self):
        return str(self.support_id)
