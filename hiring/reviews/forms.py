"""Forms of hiring.reviews."""

from __future__ import annotations
