"""Test settings: the real settings with a few changes that make tests fast and quiet."""

from __future__ import annotations

import os

# Embedded services and development static files; pytest-django still runs tests with DEBUG off.
os.environ["DEBUG"] = "true"

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run the email task eagerly unless they start a real worker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
CACHES["default"]["LOCATION"] = redis_db_url(REDIS_URL, 1)  # noqa: F405
# Several test runs may share one machine's services: each run gets its own test
# database, cache key prefix and Celery queue.
RUN_ID = os.getpid()
CACHES["default"]["KEY_PREFIX"] = f"karigar-test-{RUN_ID}"  # noqa: F405
DATABASES["default"]["TEST"] = {"NAME": f"test_karigar_{RUN_ID}"}  # noqa: F405
# Rate limits are tested on purpose where they matter; elsewhere they would make tests flaky.
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]
CELERY_TASK_DEFAULT_QUEUE = f"karigar-test-{RUN_ID}"
# Worker threads in tests must not hold connections open past a task.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Rankings are cached only in the tests about that cache (tests/searches/test_ranking_cache.py).
SEARCH_CACHE_SECONDS = 0

# A read replica that is the test database itself (tests/config/test_replicas.py). Nothing
# routes to it unless a test lists it in DATABASE_REPLICAS, which stays empty here.
DATABASES["replica_1"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
