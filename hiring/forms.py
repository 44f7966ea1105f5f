"""Validation of what employers and engineers type into outreach and threads."""

from __future__ import annotations

from django import forms  # noqa: F401 - the forms below use it

# Outreach, templates and answers (outreach UI) -------------------------------------


# Thread messages and reports (threads UI) ------------------------------------------
