"""An answer in words, per item kind: the checklist rows and the PDF say the same words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .forms import CheckItem, ChoiceItem, DateTimeItem, Item, MedicationListItem, NumberItem, YesNoItem
from .timefmt import moment_text

CHECK_WORDS = {"met": "Met", "not_met": "Not met", "na": "N/A"}
YES_NO_WORDS = {"yes": "Yes", "no": "No"}
UNANSWERED = "Not answered"
NONE_TAKEN = "None taken"


def yes_no_code(value: Any) -> str | None:
    """'yes' or 'no' for a yes/no answer (record JSON may give it as true/false); None for anything else."""
    if value is True or value is False:
        return "yes" if value else "no"
    return value if value in YES_NO_WORDS else None


def number_text(item: NumberItem, value: float) -> str:
    """'1.2', '110 mg/dL': the form's decimals, as the number field shows it (not `:g`, which drops a
    meaningful trailing zero and switches to exponents for large values)."""
    return f"{value:.{item.decimals}f}" + (f" {item.unit}" if item.unit else "")


def answer_text(item: Item, value: Any) -> str:
    """An answer in plain words (accessible descriptions, tooltips); the PDF adds glyphs and colour to these."""
    if value is None:
        return UNANSWERED
    if isinstance(item, CheckItem):
        return CHECK_WORDS.get(value, str(value))
    if isinstance(item, YesNoItem):
        code = yes_no_code(value)
        return YES_NO_WORDS[code] if code else str(value)
    if isinstance(item, ChoiceItem):
        option = item.option(value) if isinstance(value, str) else None
        return option.label if option else str(value)
    if isinstance(item, NumberItem) and isinstance(value, int | float) and not isinstance(value, bool):
        return number_text(item, value)
    if isinstance(item, DateTimeItem) and isinstance(value, datetime | str):
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        except ValueError:
            return str(value)  # a text that is not a time: shown as given
        return moment_text(moment)
    if isinstance(item, MedicationListItem) and isinstance(value, list | tuple):
        count = len(value)
        return NONE_TAKEN if not count else f"{count} medicine{'' if count == 1 else 's'} listed"
    return str(value)
