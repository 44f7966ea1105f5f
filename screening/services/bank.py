"""screening's writes for bank (see screening.services)."""

from __future__ import annotations
