"""What the pipeline tells higher apps (hiring) without importing them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the move's transaction with ``candidacy`` and ``move`` (a StageMove).
#: Receivers that email must queue it through the outbox (sent on commit).
stage_changed = Signal()
