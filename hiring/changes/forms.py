"""Forms of hiring.changes."""

from __future__ import annotations
