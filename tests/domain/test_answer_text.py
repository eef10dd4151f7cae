"""One set of answer words per item kind, shared by the checklist rows and the PDF."""

from __future__ import annotations

from checklist_app.domain.answer_text import answer_text, number_text, yes_no_code
from checklist_app.domain.forms import (
    CheckItem,
    ChoiceItem,
    DateTimeItem,
    MedicationListItem,
    NumberItem,
    YesNoItem,
)
from checklist_app.domain.timefmt import moment_text
from tests.helpers.forms import FORM, SCHEDULED


def first(kind: type) -> object:
    return next(i for i in FORM.items.values() if isinstance(i, kind))


def test_check_yes_no_and_unanswered_words() -> None:
    check, yes_no = first(CheckItem), first(YesNoItem)
    assert [answer_text(check, v) for v in ("met", "not_met", "na", None)] == ["Met", "Not met", "N/A", "Not answered"]
    assert [answer_text(yes_no, v) for v in ("yes", "no", True, False)] == ["Yes", "No", "Yes", "No"]
    assert yes_no_code("maybe") is None


def test_choice_is_its_option_label() -> None:
    choice = first(ChoiceItem)
    assert isinstance(choice, ChoiceItem)
    option = choice.options[0]
    assert answer_text(choice, option.code) == option.label


def test_numbers_use_the_forms_decimals_and_unit() -> None:
    inr = FORM.items["labs.inr"]
    assert isinstance(inr, NumberItem) and inr.decimals == 1
    assert answer_text(inr, 1.0) == number_text(inr, 1.0) == "1.0" + (f" {inr.unit}" if inr.unit else "")


def test_datetime_and_medicine_list_words() -> None:
    assert answer_text(first(DateTimeItem), SCHEDULED.isoformat()) == moment_text(SCHEDULED)
    medicines = first(MedicationListItem)
    assert answer_text(medicines, []) == "None taken"
    assert answer_text(medicines, [{"drug": "apixaban"}]) == "1 medicine listed"
