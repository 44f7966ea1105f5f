"""Settings for a Celery worker that a test starts as a separate process.

config/settings_test.py names the test database, cache key prefix and Celery
queue after the pytest process; a worker process has its own pid, so it is
told the pytest run's through the environment instead.
"""

from __future__ import annotations

import os

from config.settings_test import *  # noqa: F403

RUN_ID = int(os.environ["KARIGAR_TEST_RUN_ID"])
CACHES["default"]["KEY_PREFIX"] = f"karigar-test-{RUN_ID}"  # noqa: F405
DATABASES["default"]["NAME"] = os.environ["KARIGAR_TEST_DATABASE"]  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = f"karigar-test-{RUN_ID}"
CELERY_TASK_ALWAYS_EAGER = False
# Short enough for a test to wait out, long enough for one local SMTP send.
OUTBOX_LEASE_SECONDS = int(os.environ.get("KARIGAR_TEST_OUTBOX_LEASE_SECONDS", "300"))
