"""Forms of hiring.checkins."""

from __future__ import annotations
