"""The other orders walk index-only too: rate and years indexes cover the search columns."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('candidates', '0006_search_tokens'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='profile',
            name='profile_rate_listed',
        ),
        migrations.RemoveIndex(
            model_name='profile',
            name='profile_years_listed',
        ),
        migrations.AddIndex(
            model_name='profile',
            index=models.Index(condition=models.Q(('is_listed', True)), fields=['rate_usd', 'id'], include=('skill_ids', 'skill_levels', 'rate_usd', 'years_experience', 'seniority', 'engagement_types', 'hours_per_week', 'availability', 'available_from', 'work_start_utc', 'work_end_utc'), name='profile_rate_listed'),
        ),
        migrations.AddIndex(
            model_name='profile',
            index=models.Index(condition=models.Q(('is_listed', True)), fields=['-years_experience', '-id'], include=('skill_ids', 'skill_levels', 'rate_usd', 'years_experience', 'seniority', 'engagement_types', 'hours_per_week', 'availability', 'available_from', 'work_start_utc', 'work_end_utc'), name='profile_years_listed'),
        ),
    ]
