"""List rows of the API read as plain values: one schema a resource, two ways to fill it.

A ninja `Schema` reads a model object field by field through an attribute getter (dotted aliases
such as "zone.code" follow the relations): right for one object, costly for a page of a hundred.
`values_row(Schema)` makes, from the same schema, a pydantic model that is filled from the dicts
of `QuerySet.values()` ("zone.code" becomes the key "zone__code") by pydantic alone, and
`values_of(row)` gives the fields to ask `values()` for. A field the schema computes with a
`resolve_<name>` from other fields is given as `derived`: its name, the values it needs, and how.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, create_model, model_validator


def values_row(
    schema: type[BaseModel],
    name: str,
    *,
    derived: dict[str, tuple[tuple[str, ...], Callable[..., Any]]] | None = None,
) -> type[BaseModel]:
    derived = derived or {}
    fields: dict[str, Any] = {}
    keys: list[str] = []
    for field, info in schema.model_fields.items():
        if field in derived:
            fields[field] = (info.annotation, ...)
            keys.extend(derived[field][0])
            continue
        key = (info.alias or field).replace(".", "__")
        default = ... if info.is_required() else info.default
        fields[field] = (info.annotation, Field(default, validation_alias=key))
        keys.append(key)

    def fill(cls, row: Any) -> Any:
        if isinstance(row, dict) and derived:
            row = {**row, **{field: make(*(row[k] for k in needs)) for field, (needs, make) in derived.items()}}
        return row

    validators = {"_derived": model_validator(mode="before")(classmethod(fill))}
    model = create_model(name, __doc__=schema.__doc__, __validators__=validators, **fields)
    model.values_keys = tuple(dict.fromkeys(keys))  # type: ignore[attr-defined]
    return model


def values_of(row: type[BaseModel]) -> tuple[str, ...]:
    """The fields to read with `QuerySet.values()` for rows of `values_row`."""
    return row.values_keys  # type: ignore[attr-defined]
