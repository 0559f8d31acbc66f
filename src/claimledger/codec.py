"""Records to and from their JSON form, planned once per record type: the analysis records
(:mod:`claimledger.records`) and the ledger's rows (:mod:`claimledger.ledger.reads`).

Field metadata shape the JSON: ``inline`` writes a nested record's keys into its owner's
(:data:`INLINE`), ``json`` renames a key (a Python name cannot be ``from``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from claimledger.errors import InputError, LedgerError

R = TypeVar("R")

# A nested record whose keys are written into its owner's JSON, and into its API model.
INLINE = {"inline": True}


def to_plain(value: Any) -> Any:
    """Records to JSON-ready values: nested records as objects (``inline`` ones merged into
    their owner), tuples as lists, dates as ISO strings, whole numbers as ints (4000, not
    4000.0, as docs/schema.md promises)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _encoder(type(value))(value)
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: to_plain(v) for k, v in value.items()}
    return _number(value)


@functools.cache
def _encoder(tp: Any) -> Callable[[Any], Any]:
    """:func:`to_plain` for values of type ``tp``, planned once per type: reading back a
    large ledger encodes every claim."""
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record_encoder(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            encode = _encoder(inner[0])
            return lambda value: None if value is None else encode(value)
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _encoder(args[0])
        return lambda value: [item(v) for v in value]
    elif origin is tuple:
        return list
    elif tp is float:
        return _number
    elif tp in (str, int, bool) or origin is typing.Literal:
        return _same
    elif tp in (dt.date, dt.datetime):
        return _iso
    return to_plain


def _iso(value: dt.date) -> str:
    return value.isoformat()


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _record_encoder(cls: type) -> Callable[[Any], dict[str, Any]]:
    hints = typing.get_type_hints(cls)
    plan = [
        (
            f.name,
            f.metadata.get("json", f.name),
            bool(f.metadata.get("inline")),
            _encoder(hints[f.name]),
        )
        for f in dataclasses.fields(cls)
    ]

    def encode(value: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, key, inline, encode_field in plan:
            if inline:
                out.update(encode_field(getattr(value, name)))
            else:
                out[key] = encode_field(getattr(value, name))
        return out

    return encode


def from_json(cls: type[R], data: Mapping[str, Any]) -> R:
    """A record from its JSON form: the inverse of :func:`to_plain`, for the analysis
    records the ledger stores as JSON and the ledger's rows. A key the
    stored JSON lacks takes the field's default (a record stored by an earlier schema
    version); keys the record does not know are left out."""
    decode: Callable[[Any], R] = _decoder(cast(Any, cls))
    return decode(data)


@functools.cache
def _decoder(tp: Any) -> Callable[[Any], Any]:
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record_decoder(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"cannot decode {tp}")
        decode = _decoder(inner[0])
        return lambda value: None if value is None else decode(value)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda value: tuple(item(v) for v in value)
        items = [_decoder(a) for a in args]
        return lambda value: tuple(d(v) for d, v in zip(items, value, strict=True))
    if tp is dt.datetime:
        return dt.datetime.fromisoformat
    if tp is dt.date:
        return _date
    if origin in (Mapping, dict):
        return dict
    return _same


def _same(value: Any) -> Any:
    return value


class _NotADate(ValueError):
    pass


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _NotADate from None


def _record_decoder(cls: type) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(cls)
    plan: list[tuple[str, str, bool, Callable[[Any], Any], Any]] = []
    for f in dataclasses.fields(cls):
        # a factory, called for each record decoded: no two records share a default
        default: Any = dataclasses.MISSING
        if f.default is not dataclasses.MISSING:
            default = functools.partial(_same, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory
        key = f.metadata.get("json", f.name)
        plan.append((f.name, key, bool(f.metadata.get("inline")), _decoder(hints[f.name]), default))

    def decode(data: Mapping[str, Any]) -> Any:
        values: dict[str, Any] = {}
        for name, key, inline, decode_field, default in plan:
            if inline:
                values[name] = decode_field(data)
            elif key in data:
                try:
                    values[name] = decode_field(data[key])
                except _NotADate:
                    raise InputError(f"{name} {data[key]!r} is not a YYYY-MM-DD date") from None
            elif default is not dataclasses.MISSING:
                values[name] = default()
            else:
                raise LedgerError(f"a stored {cls.__name__} has no {key!r}")
        return cls(**values)

    return decode
