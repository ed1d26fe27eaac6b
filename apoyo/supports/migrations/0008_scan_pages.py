# Pages of PDF scans drawn as images (CedulaScanPage). Numbered 0008 while 0007_support_date_written
# is written in parallel: chain it after 0007 when both are in.

import apoyo.supports.models.files
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supports', '0007_support_date_written'),
    ]

    operations = [
        migrations.CreateModel(
            name='CedulaScanPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField(verbose_name='página')),
                ('file', models.FileField(max_length=200, upload_to=apoyo.supports.models.files.scan_page_path, verbose_name='imagen')),
                ('width', models.PositiveIntegerField(verbose_name='ancho (px)')),
                ('height', models.PositiveIntegerField(verbose_name='alto (px)')),
                ('size', models.PositiveBigIntegerField(verbose_name='tamaño (bytes)')),
                ('scan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pages', to='supports.cedulascan', verbose_name='escaneo')),
            ],
            options={
                'verbose_name': 'página de un escaneo',
                'verbose_name_plural': 'páginas de escaneos',
                'ordering': ['scan', 'number'],
                'constraints': [models.UniqueConstraint(fields=('scan', 'number'), name='scan_page_unique_number')],
            },
        ),
    ]
