"""helper/main.py spend: what the answers in a cache folder, and in a team's object store, cost.

Every answer the API gave is kept with what it cost (answers/spend_record.py): when, by which model at
which tier, and its token counts. This prints them by day, model and tier: requests, input, output,
cached and reasoning tokens, and with --prices (the user's price table, commands/prices.py) the money.
An answer found in both the folder and the store is counted once.
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
from .prices import PriceTable, read_price_table

STORE_SECONDS = 300.0
UNKNOWN_DAY = "(unknown)"  # an entry whose time cannot be read: counted, but by no --since
COLUMNS = ("day", "model", "tier", "requests", *SPEND_FIELDS)
UNKNOWN_TIER = "-"  # an answer that did not say which tier served it (priced at the standard tier)


@dataclass
class Row:
    day: str
    model: str
    tier: str
    requests: int = 0
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SPEND_FIELDS, 0))
    cost: float | None = 0.0  # None: no price for its model and tier

    def add(self, record: dict[str, Any], prices: PriceTable | None) -> None:
        self.requests += 1
        for name in SPEND_FIELDS:
            self.tokens[name] += record[name]
        if prices is not None:
            price = prices.price_of(self.model, None if self.tier == UNKNOWN_TIER else self.tier)
            self.cost = None if price is None or self.cost is None else self.cost + price.cost(record)


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="helper/main.py spend", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache-dir", default=DEFAULT_CACHE_DIR, help=f"the cache folder (default {DEFAULT_CACHE_DIR})"
    )
    parser.add_argument("--cache-url", help="also the answers of a team's store: s3://bucket/prefix?endpoint=...")
    parser.add_argument("--since", type=_day, help="only answers from this day on (YYYY-MM-DD, UTC)")
    parser.add_argument(
        "--prices", type=Path, help="a price table (JSON: per million tokens, by model and tier) to add the money"
    )
    parser.add_argument("--json", action="store_true", help="the rows as JSON instead of a table")
    options = parser.parse_args(arguments)
    try:
        prices = None if options.prices is None else read_price_table(options.prices)
        records = _records(Path(options.cache_dir), options.cache_url)
    except HelperError as error:
        sys.stderr.write(safe_line(f"spend: {error}") + "\n")
        return 1
    rows = _rows(records, options.since, prices)
    if options.json:
        sys.stdout.write(json.dumps([_as_dict(row, prices) for row in rows], indent=2) + "\n")
    else:
        sys.stdout.write(_table(rows, prices))
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


def _rows(records: dict[str, dict[str, Any]], since: str | None, prices: PriceTable | None) -> list[Row]:
    rows: dict[tuple[str, str, str], Row] = {}
    for record in records.values():
        day = answered_day(record) or UNKNOWN_DAY
        if since is not None and (day == UNKNOWN_DAY or day < since):
            continue
        model = record.get("model") or "(unknown)"
        tier = record.get("service_tier") or UNKNOWN_TIER
        rows.setdefault((day, model, tier), Row(day, model, tier)).add(record, prices)
    return [rows[key] for key in sorted(rows)]


def _table(rows: Iterable[Row], prices: PriceTable | None) -> str:
    rows = list(rows)
    total = Row("total", "", "")
    for row in rows:
        total.requests += row.requests
        for name in SPEND_FIELDS:
            total.tokens[name] += row.tokens[name]
        total.cost = None if total.cost is None or row.cost is None else total.cost + row.cost
    columns = [*COLUMNS, f"cost ({prices.currency})"] if prices is not None else list(COLUMNS)
    cells = [columns] + [_cells(row, prices) for row in rows] + [_cells(total, prices)]
    widths = [max(len(line[column]) for line in cells) for column in range(len(columns))]
    lines = []
    for number, line in enumerate(cells):
        padded = [
            cell.ljust(width) if column < 3 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        lines.append("  ".join(padded).rstrip())
        if number == 0 or number == len(cells) - 2:
            lines.append("  ".join("-" * width for width in widths))
    unpriced = sorted({f"{row.model} at tier {row.tier}" for row in rows if row.cost is None})
    if prices is not None and unpriced:
        lines.append(f"no price in the table for {', '.join(unpriced)}: their cost, and the total's, is shown as ?")
    return "\n".join(lines) + "\n"


def _cells(row: Row, prices: PriceTable | None) -> list[str]:
    cells = [row.day, row.model, row.tier, str(row.requests), *(str(row.tokens[name]) for name in SPEND_FIELDS)]
    if prices is not None:
        cells.append("?" if row.cost is None else f"{row.cost:.4f}")
    return cells


def _as_dict(row: Row, prices: PriceTable | None) -> dict[str, Any]:
    money = {} if prices is None else {"cost": row.cost, "currency": prices.currency}
    return {"day": row.day, "model": row.model, "tier": row.tier, "requests": row.requests, **row.tokens, **money}


def _day(text: str) -> str:
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day such as 2026-12-01") from None
