"""A slimmer index in the recent order for the searches that need few columns.

``profile_recent_listed`` carries every column a search can filter on (about 400
bytes an entry at a million profiles). A search by skills or words alone, in the best
match or recent order, reads from an entry only the skills, the text signature
(candidates/0011) and what the score needs; this index holds just those, half the
size, and PostgreSQL picks it for such walks because it is smaller. The walk through
74,000 entries of "GraphQL" with "api" (the benchmark's slowest best match): 40 -> 32
ms; "logistics delivery" 32 -> 29 ms (bench/README.md).

Built concurrently (profiles can be saved meanwhile; a few seconds at a million
profiles), so this migration is not atomic. Like ``text_sig``, the index is outside
Django's model state: the model cannot name a column it does not have.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS profile_recent_slim
ON candidates_profile (updated_at DESC, id DESC)
INCLUDE (skill_ids, text_sig, years_experience, rate_usd, work_start_utc, work_end_utc,
         availability)
WHERE is_listed
"""
BACKWARD = "DROP INDEX CONCURRENTLY IF EXISTS profile_recent_slim"


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("candidates", "0013_search_document_inline")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
