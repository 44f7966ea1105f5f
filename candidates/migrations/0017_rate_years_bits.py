"""Narrow indexes for walks by rate and by experience, as candidates/0015 made for the
recent order: the same fixed-length columns, keyed by ``rate_cents`` (the order of
``rate_usd``, to the cent) or ``years_experience``. Built concurrently, so not
atomic; outside Django's model state like the others of their kind.
"""

from django.db import migrations

RATE = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS profile_rate_bits
ON candidates_profile (rate_cents, id)
INCLUDE (search_bits, years_experience, hours_per_week, work_start_utc, work_end_utc)
WHERE is_listed
"""

YEARS = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS profile_years_bits
ON candidates_profile (years_experience DESC, id DESC)
INCLUDE (search_bits, hours_per_week, rate_cents, work_start_utc, work_end_utc)
WHERE is_listed
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("candidates", "0016_recent_bits_text")]

    operations = [
        migrations.RunSQL(RATE, "DROP INDEX CONCURRENTLY IF EXISTS profile_rate_bits"),
        migrations.RunSQL(YEARS, "DROP INDEX CONCURRENTLY IF EXISTS profile_years_bits"),
    ]
