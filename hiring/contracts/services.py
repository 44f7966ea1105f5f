"""Services of hiring.contracts."""

from __future__ import annotations
