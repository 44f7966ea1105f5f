"""Services of hiring.dashboards."""

from __future__ import annotations
