"""A seniority against the rate order ("senior, cheapest first") walks that seniority's
entries alone: a covering index on (seniority, rate_usd, id), built concurrently so that
profiles can still be saved while it builds (about a minute at a million profiles)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("candidates", "0011_text_signature"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="profile",
            index=models.Index(
                condition=models.Q(("is_listed", True)),
                fields=["seniority", "rate_usd", "id"],
                include=(
                    "skill_ids",
                    "skill_levels",
                    "rate_usd",
                    "years_experience",
                    "seniority",
                    "engagement_types",
                    "hours_per_week",
                    "availability",
                    "available_from",
                    "work_start_utc",
                    "work_end_utc",
                ),
                name="profile_seniority_rate_listed",
            ),
        ),
    ]
