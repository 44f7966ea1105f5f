"""Each profile's search document (its tsvector) stays in the profile's row.

PostgreSQL moved it to the TOAST table, the largest value of a row over 2 kB, so
every text check of a search read it from there: a second index lookup and a chunk
read, about 3 µs, twice when the text rank is computed too. With STORAGE MAIN the
bio, portfolio and snapshot leave the row first (compressed); the document stays.
Measured at a million profiles (bench/README.md), the ranking queries of searches
with words: "logistics delivery" 41 -> 32 ms, Kafka with "pipeline latency" 40 -> 31,
"payments" 13 -> 8; those without words within 1-2 ms of before; the cards' headlines,
which read the bio and portfolio, 0.1-0.4 ms dearer.

Changing the storage is instant and applies to rows written from now on. Rows
already stored keep their documents out of line until they are next saved; to move
them all at once, ``VACUUM FULL candidates_profile`` then ``VACUUM ANALYZE
candidates_profile`` (about a minute and a half at a million profiles, with the
table locked).
"""

from django.db import migrations

FORWARD = "ALTER TABLE candidates_profile ALTER COLUMN search_document SET STORAGE MAIN"
BACKWARD = "ALTER TABLE candidates_profile ALTER COLUMN search_document SET STORAGE EXTENDED"


class Migration(migrations.Migration):
    dependencies = [("candidates", "0012_seniority_rate_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
