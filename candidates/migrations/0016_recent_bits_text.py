"""The narrow index of candidates/0015 with the text signature last, for walks with
words; it replaces the slim index of candidates/0014, which such walks read before.

The signature is the one column of variable length in an entry and comes last, so
the columns before it are still read at known offsets (bench/README.md). Searches
without words walk profile_recent_bits, which is smaller. Built concurrently, so not
atomic; outside Django's model state like the index it replaces.
"""

from django.db import migrations

INDEX = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS profile_recent_bits_text
ON candidates_profile (updated_at DESC, id DESC)
INCLUDE (search_bits, years_experience, hours_per_week, rate_cents, work_start_utc,
         work_end_utc, text_sig)
WHERE is_listed
"""

SLIM = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS profile_recent_slim
ON candidates_profile (updated_at DESC, id DESC)
INCLUDE (skill_ids, text_sig, years_experience, rate_usd, work_start_utc, work_end_utc,
         availability)
WHERE is_listed
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("candidates", "0015_search_bits")]

    operations = [
        migrations.RunSQL(INDEX, "DROP INDEX CONCURRENTLY IF EXISTS profile_recent_bits_text"),
        migrations.RunSQL("DROP INDEX CONCURRENTLY IF EXISTS profile_recent_slim", SLIM),
    ]
