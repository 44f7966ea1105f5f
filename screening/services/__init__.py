"""Every write of screening, one module per part: the pipeline (``pipeline``),
assessments and grading (``assessments``), the question bank and interview kits
(``bank``), interviews and their scheduling (``interviews``) and scorecards
(``scorecards``). The pipeline's functions are importable from here as before."""

from screening.services.pipeline import (
    Added,
    candidacies_add,
    candidacy_add,
    candidacy_move,
    candidacy_reopen,
    hand_targets,
    open_stage_index,
    person_data_erase,
    person_data_export,
    reopen_stage,
    reopen_target,
    review_save,
)

__all__ = [
    "Added",
    "candidacies_add",
    "candidacy_add",
    "candidacy_move",
    "candidacy_reopen",
    "hand_targets",
    "open_stage_index",
    "person_data_erase",
    "person_data_export",
    "reopen_stage",
    "reopen_target",
    "review_save",
]
