"""`make run`: the whole product on one machine, for development and demos.

Starts embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are unset,
migrates, loads demo data once, then runs the web server, a Celery worker and
Celery beat side by side. Once /healthz answers, it prints the address and the
demo logins. Ctrl-C (or SIGTERM) stops every process it started.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType

BASE_DIR = Path(__file__).resolve().parent.parent
# How long the first healthy answer may take (the worker's first ping included).
READY_TIMEOUT = 90.0


def environment(*, port: int, base: Mapping[str, str]) -> dict[str, str]:
    """The environment of every process `make run` starts.

    Emails are rendered by the worker, away from any request, so their links start
    from SITE_URL: it follows the port served here unless SITE_URL is set.
    """
    env = dict(base)
    env["PORT"] = str(port)
    for name, value in (
        ("DEBUG", "true"),
        ("DJANGO_SETTINGS_MODULE", "config.settings"),
        ("SITE_URL", f"http://127.0.0.1:{port}"),
    ):
        if not env.get(name):
            env[name] = value
    return env


def _manage(*args: str, env: Mapping[str, str]) -> str:
    """Run a management command; returns what it printed."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=dict(env),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return result.stdout


def wait_until_ready(url: str, *, alive: Callable[[], bool], timeout: float) -> bool:
    """True once ``url`` answers 200; False if ``alive()`` turns false or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own URL
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass  # not listening yet, or 503 while the worker starts
        time.sleep(0.5)
    return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args()

    env = environment(port=args.port, base=os.environ)
    embedded = not env.get("DATABASE_URL") or not env.get("REDIS_URL")
    if embedded:
        from config import devservices

        print("Starting embedded PostgreSQL and Redis under .data/ ...", flush=True)
        env["DATABASE_URL"] = env.get("DATABASE_URL") or devservices.database_url()
        env["REDIS_URL"] = env.get("REDIS_URL") or devservices.redis_url()

    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        _manage("migrate", "--noinput", "-v", "0", env=env)
        print("Loading demo data ...", flush=True)
        logins = _manage("demo_data", env=env)
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
            children.append(
                subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)  # noqa: S603
            )
            print(f"started {name} (pid {children[-1].pid})", flush=True)
        url = f"http://127.0.0.1:{args.port}/"

        def running() -> bool:
            return not stopping and all(child.poll() is None for child in children)

        if wait_until_ready(url + "healthz", alive=running, timeout=READY_TIMEOUT):
            print(f"\nKarigar is ready at {url}\n{logins.rstrip()}", flush=True)
            print("\nCtrl-C stops everything.\n", flush=True)
        elif running():
            print(
                f"\n{url}healthz has not answered 200 within {READY_TIMEOUT:.0f} s; "
                "see the messages above.",
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
