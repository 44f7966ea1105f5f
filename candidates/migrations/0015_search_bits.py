"""A narrow index for walks in the recent order, and the two columns it needs.

A walk reads index entries one after another, and PostgreSQL takes every column out
of each entry it reads. ``profile_recent_listed`` has fourteen columns, seven of them
of variable length (arrays, strings, numeric, the text signature), so no column's
place in an entry is known before the ones ahead of it are read: about 0.4 µs an
entry. An entry of fixed-length columns is read at known offsets, several times
faster ("Java and Spring, full-time, five years": 28,500 entries in 13 ms through the
wide index, 2 ms through a narrow one, at 100,000 profiles; bench/README.md).

``search_bits`` holds in one bigint what a walk asks of the arrays and strings: bit
``skill_id - 1`` for each skill with an id up to 55, bits 55-57 for the engagement
types, 58-61 for the seniority and 62 for "available now"
(candidates.models.search_bits, which a test holds to this function). ``rate_cents``
is the comparable hourly rate in whole cents, a fixed-length copy of ``rate_usd``.
``profile_recent_bits`` holds them with the other fixed-length columns that filters
and the score read, so that a search asking nothing else is ranked from it alone.

Adding generated columns rewrites the table (2 minutes 20 seconds at a million profiles,
locked); the index is then built concurrently, so this migration is not atomic.
Like ``text_sig``, the columns and the index are outside Django's model state.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION karigar_search_bits(
  skills int[], engagements varchar[], seniority varchar, availability varchar
) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE((SELECT bit_or(1::bigint << (s - 1)) FROM unnest(skills) AS s
                   WHERE s BETWEEN 1 AND 55), 0)
       | COALESCE((SELECT bit_or(1::bigint << CASE e WHEN 'contract' THEN 55
                                                     WHEN 'full_time' THEN 56
                                                     WHEN 'part_time' THEN 57 END)
                   FROM unnest(engagements) AS e
                   WHERE e IN ('contract', 'full_time', 'part_time')), 0)
       | CASE seniority WHEN 'junior' THEN 1::bigint << 58 WHEN 'mid' THEN 1::bigint << 59
                        WHEN 'senior' THEN 1::bigint << 60 WHEN 'lead' THEN 1::bigint << 61
                        ELSE 0 END
       | CASE WHEN availability = 'now' THEN 1::bigint << 62 ELSE 0 END
$$;

ALTER TABLE candidates_profile
  ADD COLUMN search_bits bigint GENERATED ALWAYS AS
    (karigar_search_bits(skill_ids, engagement_types, seniority, availability)) STORED,
  ADD COLUMN rate_cents integer GENERATED ALWAYS AS ((rate_usd * 100)::integer) STORED;
"""

UNDO = """
ALTER TABLE candidates_profile DROP COLUMN IF EXISTS search_bits,
  DROP COLUMN IF EXISTS rate_cents;
DROP FUNCTION IF EXISTS karigar_search_bits(int[], varchar[], varchar, varchar);
"""

INDEX = """
CREATE INDEX CONCURRENTLY IF NOT EXISTS profile_recent_bits
ON candidates_profile (updated_at DESC, id DESC)
INCLUDE (search_bits, years_experience, hours_per_week, rate_cents, work_start_utc,
         work_end_utc)
WHERE is_listed
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("candidates", "0014_recent_slim_index")]

    operations = [
        migrations.RunSQL(FUNCTION, UNDO),
        migrations.RunSQL(INDEX, "DROP INDEX CONCURRENTLY IF EXISTS profile_recent_bits"),
    ]
