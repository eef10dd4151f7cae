"""The antithrombotic list as facts for conditions: each distinct drug once, with its rule kind per class."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .answers import MedicationEntry
from .conditions import ListedDrug
from .forms import FormDefinition, MedicationListItem


def listed_drugs(form: FormDefinition, values: Mapping[str, Any]) -> tuple[ListedDrug, ...]:
    """Every distinct drug on the form's medication lists (the same code twice is one drug; each named
    catch-all entry is its own drug), in the order first listed."""
    found: dict[str, ListedDrug] = {}
    for item_id, value in values.items():
        if not isinstance(form.items[item_id], MedicationListItem) or not value:
            continue
        entries: tuple[MedicationEntry, ...] = value
        for entry in entries:
            if entry.key in found:
                continue
            drug = form.drug_table[entry.drug]
            found[entry.key] = ListedDrug(
                key=entry.key,
                code=entry.drug,
                prescriber_managed=drug.prescriber_managed,
                hold_by_class={cls: rule.kind for cls, rule in drug.rules.items()},
            )
    return tuple(found.values())
