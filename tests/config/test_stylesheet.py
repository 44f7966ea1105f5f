"""The one stylesheet parses: every rule is closed, so no later block is swallowed."""

from __future__ import annotations

import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "css" / "karigar.css"


def test_every_rule_in_the_stylesheet_is_closed_before_the_next_section() -> None:
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(), flags=re.DOTALL)
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"an extra }} on line {number}"
        # A selector that starts at the left margin opens a top-level rule; it cannot be
        # inside another rule unless an earlier one was left open (media queries indent).
        if re.match(r"^[.#a-z:\[*@]", line) and "{" in line:
            assert depth == 1, f"line {number} opens a rule inside an unclosed one: {line!r}"
    assert depth == 0
