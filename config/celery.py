"""The Celery application: settings come from Django's, under the CELERY_ prefix."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

log = logging.getLogger(__name__)

app = Celery("karigar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _import_task_modules(sender: Celery, **kwargs: Any) -> None:
    """Register every app's tasks in web processes too, not only in workers.

    Workers import each app's ``tasks`` module at start; elsewhere the first
    lookup of a task finalizes the app, and this imports them then, so a task
    can be queued by its registered name (``accounts.emails`` does).
    """
    from django.apps import apps

    if apps.ready:
        sender.autodiscover_tasks(force=True)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Tells /healthz this worker is alive: an entry in Redis, refreshed on a timer.

    A worker that stops cleanly removes its entry; one that dies stops
    refreshing it and is forgotten after ``health.HEARTBEAT_TTL`` seconds.
    """

    requires = {"celery.worker.components:Timer"}

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.tref: Any = None

    def start(self, parent: Any) -> None:
        from config import health

        self._beat(parent.hostname)
        self.tref = parent.timer.call_repeatedly(
            health.HEARTBEAT_SECONDS, self._beat, (parent.hostname,), priority=10
        )

    def stop(self, parent: Any) -> None:
        from config import health

        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        try:
            health.worker_gone(worker=parent.hostname)
        except Exception:  # noqa: BLE001 - Redis down: the entry expires by itself
            log.warning("could not remove the heartbeat of %s", parent.hostname)

    def terminate(self, parent: Any) -> None:
        self.stop(parent)

    def _beat(self, hostname: str) -> None:
        from config import health

        try:
            health.worker_heartbeat(worker=hostname)
        except Exception as exc:  # noqa: BLE001 - a missed beat must not stop the worker
            log.warning("worker heartbeat failed: %r", exc)


app.steps["worker"].add(WorkerHeartbeat)
