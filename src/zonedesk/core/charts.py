"""The data of a chart, built one way for every page (static/zonedesk/zonedesk.js draws it).

A page passes the dict with `json_script` (never inline JS) and names it on a
`<canvas data-chart="ID">`. Its shape, read by zonedesk.js::

    {"type": "bar" | "line" | "doughnut" | "radar", "title": ..., "labels": [...],
     "datasets": [{"label": ..., "data": [...]}, ...],  # "type": "line" on a target drawn over bars
     "id", "unit", "stacked", "horizontal", "integer", "max", "rmax", "stepped"}  # only when set

A chart's labels and every series are read from the same rows, the rows the page's data table
lists: one label and one value of each series per row, in the rows' order. A chart can then
never draw other bars than its table shows (it once did: a series built from another list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

Kind = Literal["bar", "line", "doughnut", "radar"]


@dataclass(frozen=True)
class Series:
    """One dataset: its legend `label` and the `value` of a row (a number, or None where there is
    none: no bar, a gap in a line). `line` draws it as a dashed line over bars (a target)."""

    label: Any
    value: Callable[[Any], Any]
    line: bool = False


def _number(value: Any) -> Any:
    # Decimal would reach the page as a string (DjangoJSONEncoder): Chart.js needs a number
    return float(value) if isinstance(value, Decimal) else value


def chart(
    kind: Kind,
    title: Any,
    rows: Iterable[Any],
    *,
    label: Callable[[Any], Any],
    series: Sequence[Series],
    id: str | None = None,  # noqa: A002 - the key zonedesk.js and the templates read
    unit: Any = None,
    stacked: bool = False,
    horizontal: bool = False,
    integer: bool = False,
    max: float | None = None,  # noqa: A002 - a fixed end of the value axis (rates: 100)
    rmax: float | None = None,
    stepped: bool = False,
) -> dict[str, Any]:
    """The dict of one chart, its labels and series read from `rows` (see the module's doc).
    Options left at their defaults are left out, as zonedesk.js reads a missing one."""
    rows = list(rows)
    spec: dict[str, Any] = {} if id is None else {"id": id}
    spec |= {
        "type": kind,
        "title": title,
        "labels": [label(row) for row in rows],
        "datasets": [
            {"label": s.label, **({"type": "line"} if s.line else {}), "data": [_number(s.value(row)) for row in rows]}
            for s in series
        ],
    }
    options = {
        "unit": unit,
        "stacked": stacked or None,
        "horizontal": horizontal or None,
        "integer": integer or None,
        "max": max,
        "rmax": rmax,
        "stepped": stepped or None,
    }
    return spec | {key: value for key, value in options.items() if value is not None}
