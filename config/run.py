"""`make run`: the whole product on one machine, for development and demos.

Starts embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are unset,
migrates, loads demo data once, then runs the web server, a Celery worker and
Celery beat side by side. Ctrl-C (or SIGTERM) stops every process it started.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

BASE_DIR = Path(__file__).resolve().parent.parent


def _manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=True)  # noqa: S603


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    embedded = not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL")
    if embedded:
        from config import devservices

        print("Starting embedded PostgreSQL and Redis under .data/ ...", flush=True)
        os.environ.setdefault("DATABASE_URL", devservices.database_url())
        os.environ.setdefault("REDIS_URL", devservices.redis_url())

    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        _manage("migrate", "--noinput", "-v", "0")
        _manage("demo_data")
        data_dir = BASE_DIR / ".data"
        data_dir.mkdir(exist_ok=True)
        commands = {
            "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}"],
            "worker": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--hostname",
                "worker@%h",
            ],
            "beat": [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(data_dir / "celerybeat-schedule"),
            ],
        }
        for name, command in commands.items():
            # Each child leads its own process group so that stopping it stops its children.
            children.append(subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True))  # noqa: S603
            print(f"started {name} (pid {children[-1].pid})", flush=True)
        print(
            f"\nKarigar is starting on http://127.0.0.1:{args.port}/ — Ctrl-C stops everything.\n",
            flush=True,
        )
        while not stopping:
            if any(child.poll() is not None for child in children):
                print("A process exited; stopping the rest.", flush=True)
                break
            time.sleep(0.2)
    except subprocess.CalledProcessError as exc:
        print(f"Start-up failed: {exc}", file=sys.stderr)
        return 1
    finally:
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        if embedded:
            from config import devservices

            devservices.stop_all()
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
