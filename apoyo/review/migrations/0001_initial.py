# The claims of the mesa de control (review.ReviewClaim): one live claim per support.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('supports', '0006_no_checked_status'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReviewClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('claimed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='en revisión desde')),
                ('expires_at', models.DateTimeField(verbose_name='vence')),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='revisor')),
                ('support', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='review_claim', to='supports.support', verbose_name='apoyo')),
            ],
            options={
                'verbose_name': 'apoyo en revisión',
                'verbose_name_plural': 'apoyos en revisión',
                'ordering': ['claimed_at', 'id'],
                'indexes': [models.Index(fields=['reviewer'], name='review_claim_reviewer')],
            },
        ),
    ]
