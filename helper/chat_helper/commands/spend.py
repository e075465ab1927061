"""helper/main.py spend: what the answers in a cache folder, and in a team's object store, cost.

Every answer the API gave is kept with what it cost (answers/spend_record.py): when, by which model,
and its token counts. This prints them by day and model: requests, input, output, cached and
reasoning tokens. An answer found in both the folder and the store is counted once.
"""

import argparse
import datetime
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..answers.cache import ENTRY_FORMAT
from ..answers.settings import DEFAULT_CACHE_DIR
from ..answers.spend_record import SPEND_FIELDS, answered_day, recorded_spend
from ..core.errors import HelperError
from ..core.redaction import safe_line
from ..core.store_url import parse_store_url

STORE_SECONDS = 300.0
UNKNOWN_DAY = "(unknown)"  # an entry whose time cannot be read: counted, but by no --since
COLUMNS = ("day", "model", "requests", *SPEND_FIELDS)


@dataclass
class Row:
    day: str
    model: str
    requests: int = 0
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SPEND_FIELDS, 0))

    def add(self, record: dict[str, Any]) -> None:
        self.requests += 1
        for name in SPEND_FIELDS:
            self.tokens[name] += record[name]


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="helper/main.py spend", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache-dir", default=DEFAULT_CACHE_DIR, help=f"the cache folder (default {DEFAULT_CACHE_DIR})"
    )
    parser.add_argument("--cache-url", help="also the answers of a team's store: s3://bucket/prefix?endpoint=...")
    parser.add_argument("--since", type=_day, help="only answers from this day on (YYYY-MM-DD, UTC)")
    parser.add_argument("--json", action="store_true", help="the rows as JSON instead of a table")
    options = parser.parse_args(arguments)
    try:
        records = _records(Path(options.cache_dir), options.cache_url)
    except HelperError as error:
        sys.stderr.write(safe_line(f"spend: {error}") + "\n")
        return 1
    rows = _rows(records, options.since)
    sys.stdout.write(json.dumps([_as_dict(row) for row in rows], indent=2) + "\n" if options.json else _table(rows))
    return 0


def _records(cache_dir: Path, cache_url: str | None) -> dict[str, dict[str, Any]]:
    """Each answer's spend record, by request_sha256: the folder's (answers waiting to be stored
    included), then the store's."""
    if not cache_dir.is_dir() and cache_url is None:
        raise HelperError(
            f"there is no cache folder {cache_dir}: name it with --cache-dir (and the store with --cache-url)"
        )
    records: dict[str, dict[str, Any]] = {}
    if cache_dir.is_dir():
        for path in [*cache_dir.glob("??/*.json"), *cache_dir.glob(".pending/??/*.json")]:
            try:
                _note(records, path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
    if cache_url is not None:
        from ..object_store.store import ObjectStore

        store = ObjectStore(parse_store_url(cache_url, "--cache-url"), time.monotonic() + STORE_SECONDS, STORE_SECONDS)
        for key in store.answer_keys():
            if key not in records:
                body = store.read_answer(key)
                if body is not None:
                    _note(records, body.decode("utf-8", "replace"))
    return records


def _note(records: dict[str, dict[str, Any]], text: str) -> None:
    try:
        entry = json.loads(text)
    except ValueError:
        return
    if not isinstance(entry, dict) or entry.get("format") != ENTRY_FORMAT:
        return
    key, record = entry.get("request_sha256"), recorded_spend(entry)
    if isinstance(key, str) and record is not None:
        records.setdefault(key, record)


def _rows(records: dict[str, dict[str, Any]], since: str | None) -> list[Row]:
    rows: dict[tuple[str, str], Row] = {}
    for record in records.values():
        day = answered_day(record) or UNKNOWN_DAY
        if since is not None and (day == UNKNOWN_DAY or day < since):
            continue
        model = record.get("model") or "(unknown)"
        rows.setdefault((day, model), Row(day, model)).add(record)
    return [rows[key] for key in sorted(rows)]


def _table(rows: Iterable[Row]) -> str:
    rows = list(rows)
    total = Row("total", "")
    for row in rows:
        total.requests += row.requests
        for name in SPEND_FIELDS:
            total.tokens[name] += row.tokens[name]
    cells = [list(COLUMNS)] + [_cells(row) for row in rows] + [_cells(total)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(COLUMNS))]
    lines = []
    for number, line in enumerate(cells):
        padded = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(padded).rstrip())
        if number == 0 or number == len(cells) - 2:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def _cells(row: Row) -> list[str]:
    return [row.day, row.model, str(row.requests), *(str(row.tokens[name]) for name in SPEND_FIELDS)]


def _as_dict(row: Row) -> dict[str, Any]:
    return {"day": row.day, "model": row.model, "requests": row.requests, **row.tokens}


def _day(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day such as 2026-12-01") from None
