"""Actions a higher app offers on a pipeline card, without screening importing it.

hiring registers "Reach out" for Sourced cards in its ``AppConfig.ready``::

    card_action_register(stage="sourced", label="Reach out", url_name="hiring:outreach_new")

The board, the candidacy page and the profile page's pipeline panel show each
action of the card's stage as a link to ``reverse(url_name, args=[candidacy.pk])``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CardAction:
    stage: str
    label: str
    url_name: str


_actions: dict[tuple[str, str], CardAction] = {}


def card_action_register(*, stage: str, label: str, url_name: str) -> None:
    _actions[(stage, url_name)] = CardAction(stage, label, url_name)


def card_actions(stage: str) -> list[CardAction]:
    return [action for action in _actions.values() if action.stage == stage]
