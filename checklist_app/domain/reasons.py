"""Why a case is NOT READY, as keys a report can count: one (item, drug) per blocker.

A blocker on a medication list is counted per drug whose hold blocks (clinical.md, "by drug"), so
"apixaban held too briefly" and "warfarin held too briefly" are two reasons; every other blocker is its
item alone (drug None). The keys are reporting data (the readiness history), never a verdict.
"""

from __future__ import annotations

from .forms import FormDefinition, MedicationListItem
from .readiness import Readiness

BlockerKey = tuple[str, str | None]


def blocker_keys(form: FormDefinition, readiness: Readiness) -> tuple[BlockerKey, ...]:
    """The distinct (item, drug) reasons of a verdict, in the order the blockers came."""
    drugs = tuple(h.drug for h in readiness.holds if h.blocks)
    keys: dict[BlockerKey, None] = {}
    for finding in readiness.blockers:
        item = form.items.get(finding.item)
        if isinstance(item, MedicationListItem) and drugs:
            keys.update(dict.fromkeys((finding.item, drug) for drug in drugs))
        else:
            keys[(finding.item, None)] = None
    return tuple(keys)
