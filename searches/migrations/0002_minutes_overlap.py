"""karigar_minutes_overlap(a_start, a_end, b_start, b_end): shared minutes of two daily
working windows given as minutes after midnight UTC (0..1439). A window whose end is
not after its start runs past midnight. Pure arithmetic, so IMMUTABLE and cheap to
evaluate on the few thousand rows a search scores."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION karigar_minutes_overlap(a_start int, a_end int, b_start int, b_end int)
RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  WITH a AS (
    SELECT a_start AS s, CASE WHEN a_end > a_start THEN a_end ELSE a_end + 1440 END AS e
  ), b AS (
    SELECT b_start + shift AS s,
           CASE WHEN b_end > b_start THEN b_end ELSE b_end + 1440 END + shift AS e
    FROM (VALUES (-1440), (0), (1440)) AS shifts(shift)
  )
  SELECT COALESCE(SUM(GREATEST(0, LEAST(a.e, b.e) - GREATEST(a.s, b.s))), 0)::int FROM a, b
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("searches", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS karigar_minutes_overlap(int, int, int, int);")
    ]
