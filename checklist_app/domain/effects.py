"""What an answer does to readiness by the form's `effects`: the first that matches the value and holds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .conditions import Facts, holds
from .forms import ChoiceItem, Item


@dataclass(frozen=True)
class Outcome:
    """A blocker or warning an answer causes, with whether (and by whom) it may be overridden."""

    effect: Literal["blocker", "warning"]
    reason: str
    hard_stop: bool
    override_allowed: bool
    authoriser: str


def effect_of(item: Item, value: Any, facts: Facts) -> Outcome | None:
    """The outcome of this answer, or None when it changes nothing."""
    for effect in item.effects:
        if effect.value == value and (effect.when is None or holds(effect.when, facts)):
            allowed = item.override_allowed if effect.override_allowed is None else effect.override_allowed
            return Outcome(
                effect=effect.effect,
                reason=effect.reason,
                hard_stop=effect.hard_stop,
                override_allowed=allowed and not effect.hard_stop,
                authoriser=effect.override_authoriser or item.override_authoriser,
            )
    if isinstance(item, ChoiceItem):
        option = item.option(value)
        if option is not None and option.effect is not None:
            return Outcome(
                effect=option.effect,
                reason=option.reason,
                hard_stop=False,
                override_allowed=item.override_allowed,
                authoriser=item.override_authoriser,
            )
    return None
