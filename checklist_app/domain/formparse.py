"""Turn form YAML text into a checked FormDefinition, or a FormError naming each problem's line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from pydantic import ValidationError

from . import limits
from .answers import CHECK_VALUES, YES_NO_VALUES
from .conditions import Condition
from .errors import FormError
from .forms import CheckItem, ChoiceItem, DateTimeItem, FormDefinition, Item, LabAdjustment, NumberItem, YesNoItem

Loc = tuple[str | int, ...]


def _line_map(
    node: yaml.Node,
    path: Loc = (),
    lines: dict[Loc, int] | None = None,
    problems: list[tuple[int | None, str]] | None = None,
    active: frozenset[int] = frozenset(),
) -> dict[Loc, int]:
    """Line (1-based) of every mapping key and sequence entry, by its path in the document.

    Also collects what YAML itself accepts but a form must not have: a key given twice in one
    mapping (YAML silently keeps the last one, so a site's edit could vanish unseen) and an
    anchor that contains an alias to itself (an endless structure).
    """
    lines = {} if lines is None else lines
    problems = [] if problems is None else problems
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in active:
        raise FormError(
            [(node.start_mark.line + 1, f"{_where(path)}: the anchor on this line contains an alias to itself")]
        )
    active = active | {id(node)}
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                line = key.start_mark.line + 1
                if key.value in first and key.value != "<<":
                    message = f"{_where((*path, key.value))}: duplicate key (first on line {first[key.value]})"
                    if (line, message) not in problems:
                        problems.append((line, message))
                first.setdefault(key.value, line)
                lines[(*path, key.value)] = line
                _line_map(value, (*path, key.value), lines, problems, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            _line_map(value, (*path, index), lines, problems, active)
    return lines


def _resolve(lines: dict[Loc, int], loc: Loc) -> Loc:
    """The part of a pydantic/semantic location that exists in the YAML (union tags dropped)."""
    path: Loc = ()
    for step in loc:
        candidate = (*path, step)
        if candidate in lines:
            path = candidate
        elif isinstance(step, str) and (*path, step.rstrip("_")) in lines:
            path = (*path, step.rstrip("_"))
    return path


def _line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """Best line for a pydantic/semantic location, skipping steps the YAML does not have."""
    return lines.get(_resolve(lines, loc), 1)


def _where(loc: Loc) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


# libyaml's parser, when PyYAML was built with it: the form is read at every start-up, and the pure-Python
# parser took ~60 ms of it where libyaml takes ~8 (bench/RESULTS.md, startup).
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def _compose_and_load(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers and duplicate keys) and the data.

    Two parses: constructing the data flattens merge keys (<<) into the very nodes it reads.
    """
    if _FAST_LOADER is not None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER), yaml.load(text, Loader=_FAST_LOADER)  # safe: CSafeLoader
        except yaml.YAMLError:
            pass  # bad YAML: read it again below, so the messages are the pure-Python parser's as before
    return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)


def _check_shape(text: str) -> tuple[int | None, str] | None:
    """Size, alias, depth and expanded-node limits (domain/limits.py), checked on the parser's events before any
    tree is built: linear in the text, so an alias bomb fails in milliseconds. None when within the limits."""
    if len(text) > limits.FORM_FILE_BYTES:
        return None, f"the form is larger than {limits.FORM_FILE_BYTES // limits.KIB} KiB"
    sizes: dict[str, int] = {}  # anchor -> how many values it stands for, expanded
    stack: list[list[Any]] = []  # open collections: [anchor, values so far]
    total = aliases = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER or yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
                total += 1
                if len(stack) > limits.FORM_YAML_DEPTH:
                    return line, f"nested deeper than {limits.FORM_YAML_DEPTH} levels"
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                if not stack:
                    continue
                anchor, grow = stack.pop()
                if anchor:
                    sizes[anchor] = grow
            elif isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > limits.FORM_YAML_ALIASES:
                    return line, f"more than {limits.FORM_YAML_ALIASES} YAML aliases (*name)"
                grow = sizes.get(str(event.anchor), 1)
                total += grow
            elif isinstance(event, yaml.ScalarEvent):
                grow = 1
                total += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            else:
                continue
            if stack:
                stack[-1][1] += grow
            if total > limits.FORM_YAML_NODES:
                return line, (
                    f"the YAML expands to more than {limits.FORM_YAML_NODES} values (aliases inside "
                    "aliases); write the values out or use fewer aliases"
                )
    except yaml.YAMLError:
        return None  # not valid YAML: the parse below says where
    return None


def parse_form(text: str, source: str = "<form>") -> FormDefinition:
    """Parse and check a form; raises FormError with one (line, message) per problem."""
    shape = _check_shape(text)
    if shape is not None:
        raise FormError([shape], source)
    try:
        root, data = _compose_and_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise FormError([(line, f"not valid YAML: {exc.problem or exc}")], source) from None
    except yaml.YAMLError as exc:
        raise FormError([(None, f"not valid YAML: {exc}")], source) from None
    if root is None or not isinstance(data, dict):
        raise FormError([(1, "a form must be a YAML mapping with id, version, title and sections")], source)
    map_problems: list[tuple[int | None, str]] = []
    try:
        lines = _line_map(root, problems=map_problems)
    except FormError as exc:
        raise FormError(exc.problems, source) from None
    if map_problems:
        raise FormError(map_problems, source)
    sections = data.get("sections")
    items = sum(len(s.get("items") or ()) for s in sections if isinstance(s, dict)) if isinstance(sections, list) else 0
    if items > limits.FORM_ITEMS:
        raise FormError([(lines.get(("sections",), 1), f"more than {limits.FORM_ITEMS} items")], source)
    try:
        form = FormDefinition.model_validate(data)
    except ValidationError as exc:
        # One line per place: the branches of a union that all failed are joined with "or".
        found: dict[tuple[int, str], list[str]] = {}
        for err in exc.errors():
            loc = tuple(err["loc"])
            path = _resolve(lines, loc)
            # A missing key is not in the YAML: name it, on the line of the mapping that lacks it.
            shown = (*path, loc[-1]) if err["type"] == "missing" else path
            messages = found.setdefault((lines.get(path, 1), _where(shown)), [])
            if err["msg"] not in messages:
                messages.append(err["msg"])
        problems: list[tuple[int | None, str]] = [
            (line, f"{where}: {'; or '.join(messages)}" if where else "; or ".join(messages))
            for (line, where), messages in found.items()
        ]
        raise FormError(problems, source) from None
    problems = [(_line_of(lines, loc), f"{_where(loc)}: {message}") for loc, message in check_form(form)]
    if problems:
        raise FormError(problems, source)
    return form


def check_form(form: FormDefinition) -> Iterator[tuple[Loc, str]]:
    """Semantic problems: duplicates, dangling references, cycles in conditions."""
    seen: dict[str, Loc] = {}
    for s, section in enumerate(form.sections):
        for i, item in enumerate(section.items):
            loc: Loc = ("sections", s, "items", i)
            if item.id in seen:
                yield (*loc, "id"), f"duplicate item id '{item.id}'"
            seen[item.id] = loc
    numeric = {n for n, p in form.parameters.items() if not isinstance(p.value, bool)}
    switches = set(form.parameters) - numeric
    unset = {n for n, p in form.parameters.items() if p.value is None}

    def source_ok(source: str | None, loc: Loc) -> Iterator[tuple[Loc, str]]:
        if source is not None and source not in form.sources:
            yield (*loc, "source"), f"unknown source '{source}' (not under 'sources')"

    def number_ok(value: float | str | None, loc: Loc, may_be_unset: bool = True) -> Iterator[tuple[Loc, str]]:
        if isinstance(value, str) and value not in numeric:
            yield loc, f"'{value}' is not a numeric parameter"
        elif isinstance(value, str) and value in unset and not may_be_unset:
            yield loc, f"parameter '{value}' is unset (value: null), but this rule needs a number"

    for name, param in form.parameters.items():
        yield from source_ok(param.source, ("parameters", name))
    for p, proc in enumerate(form.procedure_types):
        yield from source_ok(proc.source, ("procedure_types", p))
        if proc.risk_class not in form.risk_classes:
            yield ("procedure_types", p, "risk_class"), f"unknown risk class '{proc.risk_class}'"
    yield from schedule_code_problems(form)
    used = {p.risk_class for p in form.procedure_types if p.risk_class in form.risk_classes}
    if form.risk_upgrade:
        used |= {form.risk_classes[min(form.risk_classes.index(c) + 1, len(form.risk_classes) - 1)] for c in set(used)}
    codes: set[str] = set()
    for d, drug in enumerate(form.drugs):
        loc = ("drugs", d)
        if drug.code in codes:
            yield (*loc, "code"), f"duplicate drug code '{drug.code}'"
        codes.add(drug.code)
        yield from source_ok(drug.source, loc)
        for cls in drug.rules:
            if cls not in form.risk_classes:
                yield (*loc, "rules", cls), f"unknown risk class '{cls}'"
        for cls in sorted(used - set(drug.rules)):
            yield (*loc, "rules"), f"drug '{drug.code}' has no rule for risk class '{cls}'"
        if isinstance(drug.lab_adjustment, LabAdjustment):
            adj = drug.lab_adjustment
            yield from number_ok(adj.below, (*loc, "lab_adjustment", "below"), may_be_unset=False)
            target = form.items.get(adj.item)
            if not isinstance(target, NumberItem):
                yield (*loc, "lab_adjustment", "item"), f"'{adj.item}' is not a number item of this form"

    conditions: list[tuple[Loc, Any]] = []
    if form.risk_upgrade:
        conditions.append((("risk_upgrade", "when"), form.risk_upgrade.when))
        if form.risk_upgrade.when.needs_risk_class():
            yield (
                ("risk_upgrade", "when"),
                "the risk upgrade cannot test drug rules at the class it decides (drop 'hold' from its drugs test)",
            )
    for item_id, loc in seen.items():
        item = form.items[item_id]
        yield from source_ok(item.source, loc)
        if item.when:
            conditions.append(((*loc, "when"), item.when))
        yield from _effect_problems(item, loc)
        for e, effect in enumerate(item.effects):
            yield from source_ok(effect.source, (*loc, "effects", e))
            if effect.when is not None:
                conditions.append(((*loc, "effects", e, "when"), effect.when))
        if isinstance(item, CheckItem) and item.hard_stop_when is not None:
            conditions.append(((*loc, "hard_stop_when"), item.hard_stop_when))
        if isinstance(item, DateTimeItem):
            yield from number_ok(item.max_age_hours, (*loc, "max_age_hours"))
            if item.max_age_hours is not None and not item.max_age_reason.strip():
                yield (*loc, "max_age_hours"), "a maximum age needs max_age_reason: what the nurse should do"
        if isinstance(item, NumberItem):
            for field in ("block_above", "warn_above"):
                yield from number_ok(getattr(item, field), (*loc, field))
            if item.min > item.max:
                yield (*loc, "min"), "min is above max"
        min_hours = getattr(item, "min_hours_before_procedure", None)
        yield from number_ok(min_hours, (*loc, "min_hours_before_procedure"), may_be_unset=False)
    for loc, cond in conditions:
        for ref in cond.answer_refs():
            if ref not in form.items:
                yield loc, f"condition refers to item '{ref}', which this form does not have"
        for ref in cond.param_refs():
            if ref not in form.parameters:
                yield loc, f"condition refers to parameter '{ref}', which this form does not have"
            elif cond.param == ref and ref not in switches:
                yield loc, f"parameter '{ref}' is a number, not a yes/no switch"
            elif ref in unset:
                yield loc, f"condition refers to parameter '{ref}', which is unset (value: null)"
        for leaf in cond.leaves():
            for code in leaf.procedure_type or ():
                if code not in form.procedure_table:
                    yield loc, f"condition refers to procedure type '{code}', which this form does not have"
            if leaf.level_starts_with is not None and not all(p.strip() for p in leaf.level_starts_with):
                yield loc, "level_starts_with needs a non-empty prefix"
        for ref in cond.drug_refs():
            if ref not in codes:
                yield loc, f"condition refers to drug '{ref}', which this form does not have"
        for message in _value_problems(form, cond):
            yield loc, message
    yield from _cycles(form, seen)


def _allowed_values(item: Item) -> tuple[str, ...] | None:
    if isinstance(item, ChoiceItem):
        return tuple(o.code for o in item.options)
    if isinstance(item, YesNoItem):
        return YES_NO_VALUES
    if isinstance(item, CheckItem):
        return CHECK_VALUES
    return None


def _effect_problems(item: Item, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """An effect on a value the item never takes would silently never apply."""
    if not item.effects:
        return
    allowed = _allowed_values(item)
    if allowed is None:
        yield (*loc, "effects"), f"effects are for check, yes/no and choice items, not {item.kind} items"
        return
    for e, effect in enumerate(item.effects):
        if effect.value not in allowed:
            yield (
                (*loc, "effects", e, "value"),
                (f"'{item.id}' can never be {effect.value!r} (it takes {', '.join(allowed)})"),
            )
        elif isinstance(item, ChoiceItem):
            option = item.option(str(effect.value))
            if option is not None and option.effect is not None:
                yield (
                    (*loc, "effects", e, "value"),
                    (
                        f"option '{option.code}' already has an effect; give it "
                        "either an option effect or effects, not both"
                    ),
                )


def _value_problems(form: FormDefinition, cond: Condition) -> Iterator[str]:
    """A compared value the item can never take (a typo) would silently switch a rule off."""
    if cond.answer is not None and cond.answer in form.items:
        item = form.items[cond.answer]
        allowed: tuple[str, ...] | None = None
        if isinstance(item, ChoiceItem):
            allowed = tuple(o.code for o in item.options)
        elif isinstance(item, YesNoItem):
            allowed = YES_NO_VALUES
        elif isinstance(item, CheckItem):
            allowed = CHECK_VALUES
        compared = (cond.equals,) if cond.equals is not None else (cond.in_ or ())
        for value in compared:
            if allowed is not None and value not in allowed:
                yield f"'{item.id}' can never be {value!r} (it takes {', '.join(allowed)})"
    for child in (*(cond.all_of or ()), *(cond.any_of or ()), *((cond.not_,) if cond.not_ else ())):
        yield from _value_problems(form, child)


def _cycles(form: FormDefinition, locs: dict[str, Loc]) -> Iterator[tuple[Loc, str]]:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(item_id: str) -> Iterator[tuple[Loc, str]]:
        state[item_id] = 1
        stack.append(item_id)
        for ref in form.condition_inputs(item_id):
            if ref not in form.items:
                continue
            if state.get(ref) == 1:
                cycle = [*stack[stack.index(ref) :], ref]
                yield (*locs[item_id], "when"), "conditions form a cycle: " + " -> ".join(cycle)
            elif ref not in state:
                yield from visit(ref)
        stack.pop()
        state[item_id] = 2

    for item_id in form.items:
        if item_id not in state:
            yield from visit(item_id)


def schedule_code_problems(form: FormDefinition) -> Iterator[tuple[Loc, str]]:
    """Each schedule code maps once, to a procedure type of this form."""
    seen: set[tuple[str, str]] = set()
    for c, entry in enumerate(form.schedule_codes):
        key = (entry.scheme.upper(), entry.code)
        if key in seen:
            yield ("schedule_codes", c, "code"), f"schedule code {entry.scheme} {entry.code} is mapped twice"
        seen.add(key)
        if entry.procedure not in form.procedure_table:
            yield ("schedule_codes", c, "procedure"), f"unknown procedure type '{entry.procedure}'"
