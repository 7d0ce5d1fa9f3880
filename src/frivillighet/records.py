"""Meeting records from files: what a secretariat keeps to show what was held (CSV with the
header `obligation,held`, or a JSON list of tables), read for `frivillighet compliance`,
`frivillighet calendar --meetings` and the service's `--records` folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from frivillighet.conversion import from_json
from frivillighet.errors import InputError
from frivillighet.inputs import MAX_FACTS_SIZE, parse_json, read_text
from frivillighet.model import Meeting

__all__ = ["placed", "read_meetings"]


def read_meetings(path: Path) -> tuple[list[Meeting], list[str]]:
    """Records from a CSV file (header `obligation,held`) or a JSON list of tables, and where
    each stands in the file."""
    if path.suffix not in (".csv", ".json"):
        raise InputError("expected a .csv or .json file of meeting records", field=str(path))
    text = read_text(path, MAX_FACTS_SIZE)
    if path.suffix == ".json":
        rows = parse_json(text, str(path))
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise InputError("expected a JSON list of tables", field=str(path))
        places = [f"{path}[{index}]" for index in range(len(rows))]
    else:
        reader = csv.DictReader(io.StringIO(text))
        try:
            if reader.fieldnames is None or set(reader.fieldnames) != {"obligation", "held"}:
                raise InputError("expected the CSV header 'obligation,held'", field=str(path))
            rows = list(reader)
        except csv.Error as error:  # such as a field over 131 072 characters
            where = f"{path}: line {reader.line_num + 1}"
            raise InputError(f"not valid CSV ({error})", field=where) from None
        places = [f"{path}: line {index + 2}" for index in range(len(rows))]
    return [_meeting(row, place) for row, place in zip(rows, places, strict=True)], places


def _meeting(row: dict[str, Any], place: str) -> Meeting:
    """A record from a CSV row or a JSON table, built (and its date parsed) as `from_json` does."""
    if set(row) != {"obligation", "held"}:
        got = ", ".join(sorted(map(str, row)))
        raise InputError(f"expected the fields obligation and held, got {got}", field=place)
    try:
        return from_json(Meeting, row)
    except InputError as error:
        raise InputError(error.problem, field=f"{place}: {error.field}") from None


def placed(error: InputError, places: list[str]) -> InputError:
    """`error` with `meetings[i]` replaced by where that record stands in its file."""
    index, _, rest = (error.field or "").removeprefix("meetings[").partition("]")
    if not index.isdigit() or int(index) >= len(places):
        return error
    return InputError(error.problem, field=f"{places[int(index)]}: {rest.lstrip('.')}")
