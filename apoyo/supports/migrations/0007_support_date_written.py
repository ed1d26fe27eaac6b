# Support.date_written: whether the support's date was written (CONTRACT upload_supports, settled
# cases: a bulk row without FECHA_APOYO has the upload date and sorts after every written date for
# first-wins). Existing supports keep True: their date is taken as written.
#
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supports', '0006_no_checked_status'),
    ]


    operations = [
        migrations.AddField(
            model_name='support',
            name='date_written',
            field=models.BooleanField(db_default=True, default=True, verbose_name='fecha escrita'),
        ),
    ]
