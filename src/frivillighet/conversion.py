"""Strict conversion of plain data (TOML tables, JSON) into frozen `attrs` classes.

Nothing is coerced: a string is not a number, a number is not a flag, a string is not a list.
Every problem is reported with the key path where it sits, as in `obligations[2].recurrence.month`.
Facts (`frivillighet.model`) are built through their constructors, which word every wrong value;
policies and results are structured with cattrs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_unstructure_fn

from frivillighet import model
from frivillighet.errors import InputError

if TYPE_CHECKING:
    from frivillighet.rules.common import Family

__all__ = ["from_json", "problems", "register_families", "strict_converter", "to_json"]

T = TypeVar("T")


_shown = model.shown


def _exactly(kind: type[T], words: str) -> Callable[[Any, Any], T]:
    def structure(value: Any, _: Any) -> T:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InputError(f"expected {words}, got {_shown(value)}")
        return value

    return structure


D = TypeVar("D", dt.date, dt.datetime, dt.time)


def _iso(kind: type[D]) -> Callable[[Any, Any], D]:
    """A `kind` as it is, or parsed from its ISO 8601 text, by the one parser (`model.iso`)."""
    return lambda value, _: model.iso(kind, value)


def _decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InputError(
            f"expected an amount (an integer or a decimal string), got {_shown(value)}"
        )
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise InputError(f"expected an amount, got {_shown(value)}") from None
    if not model.bounded(amount):
        raise InputError(f"expected {model.AMOUNT}, got {_shown(value)}")
    return amount


def _fraction(value: Any, _: Any) -> Fraction:
    """An exact amount as `to_json` writes it: `"625/3"`, `"0"`."""
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+(/[0-9]+)?", value):
        with contextlib.suppress(ZeroDivisionError):
            return Fraction(value)
    raise InputError(f"expected an exact amount such as '625/3', got {_shown(value)}")


def _enum(value: Any, kind: type[StrEnum]) -> StrEnum:
    try:
        return kind(value)
    except ValueError:
        words = ", ".join(repr(member.value) for member in kind)
        raise InputError(f"expected one of {words}, got {_shown(value)}") from None


def strict_converter() -> cattrs.Converter:
    """A cattrs converter that rejects unknown keys and never coerces one type into another.

    Dates may be TOML dates or ISO 8601 strings (JSON has no date type); amounts are integers or
    decimal strings, never floats.
    """
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    exact: dict[Any, Callable[[Any, Any], Any]] = {
        str: _exactly(str, "a string"),
        int: _exactly(int, "an integer"),
        bool: _exactly(bool, "true or false"),
        dt.time: _iso(dt.time),
        dt.date: _iso(dt.date),
        Decimal: _decimal,
    }
    for kind, hook in exact.items():
        converter.register_structure_hook(kind, hook)
    converter.register_structure_hook(StrEnum, _enum)  # before `str` in every StrEnum's MRO

    def arrays(type_: Any) -> Callable[[Any, Any], Any]:
        items = homogenous_tuple_structure_factory(type_, converter)

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, list | tuple):
                raise InputError(f"expected an array, got {_shown(value)}")
            return items(value, type_)

        return structure

    converter.register_structure_hook_factory(_is_array, arrays)
    return converter


def _is_array(type_: Any) -> bool:
    """`tuple[X, ...]`: the type of every array in the format."""
    origin: Any = get_origin(type_)
    return origin is tuple and get_args(type_)[1:] == (...,)


def register_families(converter: cattrs.Converter, families: Iterable[Family]) -> None:
    """Structure a field typed by a family's base from a table whose key (`test`, or `kind`)
    names the kind: each kind by its word, as registered."""
    for found in families:
        converter.register_structure_hook_func(_is(found.base), _kind_hook(converter, found))


def _is(base: type) -> Callable[[Any], bool]:
    return lambda type_: type_ is base


def _kind_hook(converter: cattrs.Converter, found: Family) -> Callable[[Any, Any], Any]:
    key = found.key

    def structure(value: Any, _: Any) -> Any:
        words = ", ".join(repr(name) for name in found.kinds)
        if not isinstance(value, dict):
            raise InputError(f"expected a table, got {_shown(value)}")
        if key not in value:
            raise InputError(f"missing key {key!r}; expected one of {words}", field=key)
        word = value[key]
        cls = found.kinds.get(word) if isinstance(word, str) else None
        if cls is None:
            raise InputError(f"unknown {key} {_shown(word)}; expected one of {words}", field=key)
        return converter.structure({k: v for k, v in value.items() if k != key}, cls)

    return structure


def _message(exc: BaseException, cls: type | None) -> str:
    if isinstance(exc, InputError):
        return exc.problem
    if isinstance(exc, KeyError):
        return "missing key"
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = ", ".join(field.name for field in attrs.fields(exc.cl))
        extra = ", ".join(sorted(map(_shown, exc.extra_fields)))  # keys may be of any type
        return f"unknown key {extra}; expected keys: {allowed}"
    if isinstance(exc, AttributeError | TypeError):
        tables = cls is None or attrs.has(cls) or any(attrs.has(arg) for arg in get_args(cls))
        return "expected a table" if tables else f"invalid value ({exc})"
    return f"invalid value ({exc})"


def problems(
    exc: BaseException, path: str = "", cls: type | None = None
) -> Iterator[tuple[str, str]]:
    """Each problem of a failed `structure` call as (key path, message), in document order."""
    if isinstance(exc, IterableValidationError | ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            step = f"[{note.index!r}]" if isinstance(note, IterableValidationNote) else note.name
            yield from problems(sub, _join(path, step), note.type)
        for sub in without:
            yield from problems(sub, path)
        return
    if isinstance(exc, InputError) and exc.field:
        field = exc.field
        if path and field[:1].isupper():  # a fact's own "Class.field": the path names the class
            field = field.partition(".")[2]
        path = _join(path, field) if path else field
    yield path, _message(exc, cls)


def _join(path: str, step: str) -> str:
    if step.startswith("[") or not path:
        return f"{path}{step}"
    return f"{path}.{step}"


@functools.cache
def _json_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    for kind in (dt.date, dt.time):
        converter.register_unstructure_hook(kind, lambda value: value.isoformat())
    converter.register_unstructure_hook(dt.datetime, _moment)
    converter.register_unstructure_hook(Fraction, str)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(StrEnum, lambda value: value.value)
    converter.register_unstructure_hook_func(_is_rule_kind, functools.partial(_tagged, converter))
    from frivillighet.policy import Policy, own_rules

    policy_fields = make_dict_unstructure_fn(Policy, converter)
    converter.register_unstructure_hook(Policy, lambda policy: policy_fields(own_rules(policy)))
    return converter


def _moment(value: dt.datetime) -> str | dict[str, Any]:
    """A date-time's ISO 8601 text, with its offset if it has one. A naive time with `fold=1`
    (the second time a local clock shows it, when the clocks go back) is the table
    `{"local": ISO text, "fold": 1}`, so that the fold is not lost."""
    if value.fold and value.utcoffset() is None:
        return {"local": value.isoformat(), "fold": 1}
    return value.isoformat()


def _folded(data: Mapping[Any, Any], path: str) -> dt.datetime:
    """The naive date-time of the table `{"local": ISO text, "fold": 0 or 1}`."""
    unknown = [key for key in data if key not in ("local", "fold")]
    if unknown or "local" not in data:
        raise InputError(
            model.problem('a date and time, or a table {"local": ..., "fold": 1}', dict(data)),
            field=path,
        )
    local = model.iso(dt.datetime, data["local"], field=_join(path, "local"))
    if local.utcoffset() is not None:
        raise InputError(
            "a fold is for a local time; with an offset, leave out the table",
            field=_join(path, "local"),
        )
    fold = data.get("fold", 0)
    if type(fold) is not int or fold not in (0, 1):
        raise InputError(model.problem("0 or 1", fold), field=_join(path, "fold"))
    return local.replace(fold=fold)


def _is_rule_kind(type_: Any) -> bool:
    from frivillighet.rules.common import FAMILIES

    return isinstance(type_, type) and issubclass(type_, tuple(FAMILIES))


def _tagged(converter: cattrs.Converter, value: Any) -> dict[str, Any]:
    """A rule of a registered kind as its table, led by the key that names its kind."""
    from frivillighet.rules.common import family_of

    kind = type(value)
    if family_of(kind).kinds.get(getattr(kind, "TAG", "")) is not kind:
        raise TypeError(f"{kind.__name__} is not a registered kind of rule")
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = make_dict_unstructure_fn(kind, converter)
    return {family_of(kind).key: kind.TAG, **fields(value)}


_FIELDS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def to_json(value: object) -> Any:
    """`value` (a fact, a result, or a list of them) as plain JSON data: tables, lists, strings,
    numbers, booleans and null. Enums are their words, dates ISO 8601, money decimal strings."""
    return _json_converter().unstructure(value)


@functools.cache
def _fact_converter() -> cattrs.Converter:
    """For results: their nested facts (a status's meeting) are built as `from_json` builds them."""
    converter = strict_converter()
    converter.register_structure_hook(dt.datetime, _iso(dt.datetime))
    converter.register_structure_hook(Fraction, _fraction)
    converter.register_structure_hook_func(_is_fact, lambda data, kind: _fact(kind, data))
    return converter


def _is_fact(kind: Any) -> bool:
    return isinstance(kind, type) and attrs.has(kind) and kind.__module__ == model.__name__


def _fact(kind: Any, data: Any, path: str = "") -> Any:
    """The fact `kind(**data)`: the keys are checked here and nested facts built first, naming
    their path; every value is judged and worded by the constructor. A problem with the table
    itself names `path` (nothing at the top)."""
    if not isinstance(data, Mapping):
        raise InputError(model.problem(model.noun(kind), data), field=path or None)
    names = [field.name for field in attrs.fields(kind)]
    unknown = [key for key in data if key not in names]  # in document order: keys may be any type
    if unknown:
        extra = ", ".join(map(_shown, unknown))
        raise InputError(
            f"unknown key {extra}; expected keys: {', '.join(names)}", field=path or None
        )
    values = {
        field.name: _nested(field, data[field.name], _join(path, field.name))
        for field in attrs.fields(kind)
        if field.name in data
    }
    try:
        return kind(**values)
    except InputError as error:  # "Class.field[...]": the path names the class
        inner = (error.field or "").partition(".")[2]
        raise InputError(error.problem, field=_join(path, inner) or None) from None


def _nested(field: attrs.Attribute[Any], value: Any, path: str) -> Any:
    """`value` of `field`, with the tables of a nested fact (or of a tuple of facts) built, and
    a date-time's table with its fold read."""
    kind = field.metadata.get("fact")
    if kind is None:
        return _folded(value, path) if isinstance(value, Mapping) and _is_moment(field) else value
    if field.metadata.get("many") and isinstance(value, list | tuple):
        return [
            _fact(kind, item, f"{path}[{index}]") if isinstance(item, Mapping) else item
            for index, item in enumerate(value)
        ]
    return _fact(kind, value, path) if isinstance(value, Mapping) else value


def _is_moment(field: attrs.Attribute[Any]) -> bool:
    """Whether `field` of a fact holds a date-time (`Booking.start`, `Booking.end`)."""
    return field.type in ("dt.datetime | None", dt.datetime | None)


def from_json(kind: type[T], data: Any) -> T:
    """A fact of type `kind` from plain JSON data (as `to_json` writes it), built through its
    constructor. A missing key is an unknown fact; an unknown key, a wrong type or a bad value
    is an `InputError` naming the JSON path, as in `members[2].represents.kind`, with the
    constructor's wording. Results (`Verdict`, `Status`, ...) read back too."""
    is_fact = attrs.has(kind)  # kept apart so that `kind` stays `type[T]` for the checker
    if not is_fact:
        raise InputError(f"expected a fact type, got {kind!r}", field="kind")
    from frivillighet.policy import Policy

    if kind is Policy:
        raise InputError(
            "a policy is read with frivillighet.policy.policy_from_data(data)", field="kind"
        )
    if _is_fact(kind):
        try:
            built: T = _fact(kind, data)
        except InputError as error:
            raise InputError(error.problem, field=error.field or kind.__name__) from None
        except RecursionError:
            raise InputError("nested too deeply", field=kind.__name__) from None
        return built
    try:
        fact: T = _fact_converter().structure(data, kind)
    except RecursionError:
        raise InputError("nested too deeply", field=kind.__name__) from None
    except Exception as error:  # cattrs gathers every problem; report the first, with its path
        path, message = next(problems(error))
        raise InputError(message, field=path or kind.__name__) from None
    return fact
