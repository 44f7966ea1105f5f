"""screening's forms, one module per part (see screening.services)."""

from screening.forms.pipeline import AddForm, MoveForm, ReviewForm

__all__ = ["AddForm", "MoveForm", "ReviewForm"]
