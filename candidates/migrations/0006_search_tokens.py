"""Search tokens (candidates.models, "Search tokens"): the SQL function that makes them
and a GIN index over it for listed profiles. It replaces the GIN index on skill_levels,
whose tokens it contains. An expression index: the table is not rewritten."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.conf import settings
from django.db import migrations, models


FUNCTION = """
CREATE OR REPLACE FUNCTION karigar_search_tokens(
    skill_ids int[], skill_levels int[], seniority text, engagement_types text[],
    rate_usd numeric, years int, hours int
) RETURNS int[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT s * 100 FROM unnest(skill_ids) AS s)
    || skill_levels
    || ARRAY[10000000 + CASE seniority
         WHEN 'junior' THEN 1 WHEN 'mid' THEN 2 WHEN 'senior' THEN 3 WHEN 'lead' THEN 4
         ELSE 0 END]
    || ARRAY(SELECT 10000100 + CASE e
         WHEN 'contract' THEN 1 WHEN 'full_time' THEN 2 WHEN 'part_time' THEN 3 ELSE 0 END
         FROM unnest(engagement_types) AS e)
    || ARRAY(SELECT 10001000 + b
         FROM unnest('{5,10,15,20,25,30,35,40,50,60,75,100,150}'::int[]) AS b WHERE rate_usd <= b)
    || ARRAY(SELECT 10002000 + k FROM generate_series(1, LEAST(COALESCE(years, 0), 30)) AS k)
    || ARRAY(SELECT 10003000 + h FROM unnest('{10,20,30,40}'::int[]) AS h WHERE hours >= h)
$$;
"""
DROP = (
    "DROP FUNCTION IF EXISTS karigar_search_tokens(int[], int[], text, text[], numeric, int, int);"
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("candidates", "0005_covering_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, DROP),
        migrations.RemoveIndex(
            model_name="profile",
            name="profile_skill_levels_gin",
        ),
        migrations.AddIndex(
            model_name="profile",
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(
                    models.F("skill_ids"),
                    models.F("skill_levels"),
                    models.F("seniority"),
                    models.F("engagement_types"),
                    models.F("rate_usd"),
                    models.F("years_experience"),
                    models.F("hours_per_week"),
                    function="karigar_search_tokens",
                    output_field=django.contrib.postgres.fields.ArrayField(
                        base_field=models.IntegerField()
                    ),
                ),
                condition=models.Q(("is_listed", True)),
                name="profile_tokens_gin",
            ),
        ),
    ]
