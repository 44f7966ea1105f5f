"""Search pages: a brief's ranked results and the ad-hoc browse, sharing one template."""

from __future__ import annotations
