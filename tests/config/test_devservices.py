"""The embedded PostgreSQL and Redis that stand in when DATABASE_URL/REDIS_URL are unset."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, psycopg, redis
from config import devservices
db = devservices.database_url()
cache = redis.Redis.from_url(devservices.redis_url())
with psycopg.connect(db.replace("postgres://", "postgresql://"), autocommit=True) as conn:
    if sys.argv[1] == "write":
        conn.execute("CREATE TABLE kept (note text)")
        conn.execute("INSERT INTO kept VALUES ('still here')")
        cache.set("kept", "still here")
    else:
        print(conn.execute("SELECT note FROM kept").fetchone()[0])
        print(cache.get("kept").decode())
devservices.stop_all()
"""


def run(step: str, data_dir: Path) -> str:
    env = {**os.environ, "KARIGAR_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, step],
        cwd=BASE_DIR,
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_embedded_services_keep_their_data_across_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"

    run("write", data_dir)
    output = run("read", data_dir)

    assert output.splitlines() == ["still here", "still here"]
    assert not (data_dir / "pg" / "postmaster.pid").exists()  # stopped again
