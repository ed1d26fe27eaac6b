"""Rows of a carga masiva validated and waiting to be published (staging.py).

On SQLite the one write lock would otherwise be held for the whole insert of a large file; the
upload writes its valid rows here in short transactions, each releasing the lock, and then
publishes them into supports_support with one INSERT ... SELECT. Nothing reads this table but the
publish: lists, counts and the mesa de control never see a staged row.
"""

from django.db import models


class StagedSupport(models.Model):
    """One valid row of an upload not yet published; the id keeps the file's order, which the
    published supports' ids must keep too (tie-break rule of first-wins)."""

    # Deleting an upload (retention) takes its leftover staged rows with it.
    upload = models.ForeignKey(
        "supports.Upload", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    reference = models.CharField(max_length=40)  # the cédula's folio: its id exists at publish
    name = models.CharField(max_length=120)
    paternal_surname = models.CharField(max_length=120, blank=True)
    maternal_surname = models.CharField(max_length=120, blank=True)
    elector_key = models.CharField(max_length=18)
    search_name = models.CharField(max_length=370, blank=True)
    ocr = models.CharField(max_length=13, blank=True)
    # The catalogue id, not a key: the publish copies it into a checked one.
    inconsistency_id = models.BigIntegerField(null=True)
    comment = models.CharField(max_length=500, blank=True)
    warnings = models.TextField(blank=True)
    support_date = models.DateField()
    date_written = models.BooleanField()

    class Meta:
        # The publish reads one upload's rows in id order; the retry deletes them by upload.
        indexes = [models.Index(fields=["upload", "id"], name="uploads_staged_upload_id")]

    def __str__(self):
        return f"{self.reference} {self.elector_key} (carga {self.upload_id})"
