"""screening's pages, one module per part (see screening.services)."""
