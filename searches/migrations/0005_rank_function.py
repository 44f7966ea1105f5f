"""karigar_rank(probe, walk, bitmap): a search's plan and ranking in one round trip.

The probe (engine.choose_plan's sample) says whether walking the order's covering
index beats reading every candidate through the GIN indexes; the ranking query of
that plan then runs inside a function whose SET clauses hold the planner switches
for that query alone. PostgreSQL restores them when the function returns, so the
search needs no transaction of its own (no BEGIN and COMMIT) and one query, not four.
The bitmap plan gets the memory to keep its bitmap exact: a lossy one (4 MB, the
default, holds about 800,000 rows' worth only page by page) rechecks every row of
every page it touches.
"""

from django.db import migrations

COLUMNS = "id bigint, score float8, recency float8, text_rank float8"
COMMON = "SET enable_seqscan = off SET max_parallel_workers_per_gather = 0 SET jit = off"

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION karigar_rank_walk(query text) RETURNS TABLE({COLUMNS})
LANGUAGE plpgsql
SET enable_indexscan = on SET enable_indexonlyscan = on SET enable_bitmapscan = off {COMMON}
AS $$ BEGIN RETURN QUERY EXECUTE query; END $$;

CREATE OR REPLACE FUNCTION karigar_rank_bitmap(query text) RETURNS TABLE({COLUMNS})
LANGUAGE plpgsql
SET enable_indexscan = off SET enable_indexonlyscan = off SET enable_bitmapscan = on {COMMON}
SET work_mem = '64MB'
AS $$ BEGIN RETURN QUERY EXECUTE query; END $$;

CREATE OR REPLACE FUNCTION karigar_rank(probe text, walk text, bitmap text)
RETURNS TABLE({COLUMNS}) LANGUAGE plpgsql AS $$
DECLARE by_walk boolean;
BEGIN
  EXECUTE probe INTO by_walk;
  IF by_walk THEN
    RETURN QUERY SELECT * FROM karigar_rank_walk(walk);
  ELSE
    RETURN QUERY SELECT * FROM karigar_rank_bitmap(bitmap);
  END IF;
END $$;
"""

DROP = """
DROP FUNCTION IF EXISTS karigar_rank(text, text, text);
DROP FUNCTION IF EXISTS karigar_rank_walk(text);
DROP FUNCTION IF EXISTS karigar_rank_bitmap(text);
"""


class Migration(migrations.Migration):
    dependencies = [("searches", "0004_brief_budget_minimum")]

    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
