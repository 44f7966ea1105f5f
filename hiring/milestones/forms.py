"""Forms of hiring.milestones."""

from __future__ import annotations
