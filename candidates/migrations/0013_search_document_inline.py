"""Each profile's search document (its tsvector) stays in the profile's row.

PostgreSQL moved it to the TOAST table, the largest value of a row over 2 kB, so
every text check of a search read it from there: a second index lookup and a chunk
read, about 3 µs, twice when the text rank is computed too. With STORAGE MAIN the
bio, portfolio and snapshot leave the row first (compressed); the document stays.
At a million profiles the heaviest text searches' ranking queries went from 40-53 ms
to 26-37 ms (bench/README.md).

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
