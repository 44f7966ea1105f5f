"""screening's reads and fetch-and-check helpers, one module per part (see
screening.services). The pipeline's are importable from here as before."""

from screening.selectors.pipeline import (
    FUNNEL_BAR_WIDTH,
    FUNNEL_LABEL_WIDTH,
    FUNNEL_ROW,
    Funnel,
    FunnelStep,
    board_candidacies,
    candidacy_moves,
    candidacy_reviews,
    company_pipelines,
    funnel,
    get_brief_for_user,
    get_candidacy_for_user,
    profile_pipelines,
)

__all__ = [
    "FUNNEL_BAR_WIDTH",
    "FUNNEL_LABEL_WIDTH",
    "FUNNEL_ROW",
    "Funnel",
    "FunnelStep",
    "board_candidacies",
    "candidacy_moves",
    "candidacy_reviews",
    "company_pipelines",
    "funnel",
    "get_brief_for_user",
    "get_candidacy_for_user",
    "profile_pipelines",
]
