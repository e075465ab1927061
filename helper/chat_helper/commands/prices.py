"""The user's price table for the spend report: what a million tokens cost, by model and processing tier.

Prices change and differ by account, so none are built in. The table is a JSON file the user keeps:

    {"currency": "USD", "prices": [
      {"model": "gpt-4o", "tier": "default", "input": 2.50, "cached_input": 1.25, "output": 10.00},
      {"model": "gpt-4o", "tier": "flex", "input": 1.25, "cached_input": 0.625, "output": 5.00}]}

Each price is per million tokens. tier defaults to "default" (the standard tier, which an answer that
names none is priced at); cached_input defaults to input. A model's price covers its dated snapshots
(gpt-4o prices gpt-4o-2024-08-06), never another model that shares its prefix (gpt-4o-mini).
Reasoning tokens are output tokens, and priced so; cached input tokens are part of the input tokens.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import HelperError

PER_TOKENS = 1_000_000
DEFAULT_TIER = "default"
_SNAPSHOT = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Price:
    input: float
    cached_input: float
    output: float

    def cost(self, record: dict[str, Any]) -> float:
        """What an answer's tokens cost."""
        cached = int(record.get("cached_tokens") or 0)
        uncached = max(0, int(record.get("input_tokens") or 0) - cached)
        output = int(record.get("output_tokens") or 0)
        return (uncached * self.input + cached * self.cached_input + output * self.output) / PER_TOKENS


@dataclass(frozen=True)
class PriceTable:
    currency: str
    prices: dict[tuple[str, str], Price]  # (model, tier) -> price

    def price_of(self, model: str, tier: str | None) -> Price | None:
        """The price of model (or of the model its dated snapshot is of) at tier (the standard tier if none)."""
        tier = tier or DEFAULT_TIER
        for name in (model, _SNAPSHOT.sub("", model)):
            found = self.prices.get((name, tier))
            if found is not None:
                return found
        return None


def read_price_table(path: Path) -> PriceTable:
    """The table in path; HelperError naming the file and the rule it breaks."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise HelperError(f"--prices {path}: cannot read it: {error.strerror}") from None
    except ValueError as error:
        raise HelperError(f"--prices {path}: is not JSON ({error})") from None
    if not isinstance(document, dict) or not isinstance(document.get("prices"), list):
        raise HelperError(f'--prices {path}: must be an object with a "prices" list ({_EXAMPLE})')
    currency = document.get("currency", "USD")
    if not isinstance(currency, str) or not currency.strip():
        raise HelperError(f"--prices {path}: currency must be a name such as USD")
    prices: dict[tuple[str, str], Price] = {}
    for number, row in enumerate(document["prices"]):
        where = f"--prices {path}: prices[{number}]"
        if not isinstance(row, dict) or not isinstance(row.get("model"), str) or not row["model"]:
            raise HelperError(f"{where} must be an object with a model name ({_EXAMPLE})")
        tier = row.get("tier", DEFAULT_TIER)
        if not isinstance(tier, str) or not tier:
            raise HelperError(f"{where}.tier must be a tier's name, such as default or flex")
        given = {**row, "cached_input": row.get("cached_input", row.get("input"))}
        values: dict[str, float] = {}
        for name in ("input", "cached_input", "output"):
            value = given.get(name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise HelperError(f"{where}.{name} must be a price per million tokens (a number, 0 or more)")
            values[name] = float(value)
        if (row["model"], tier) in prices:
            raise HelperError(f"{where} prices model {row['model']} at tier {tier} a second time")
        prices[(row["model"], tier)] = Price(values["input"], values["cached_input"], values["output"])
    return PriceTable(currency.strip(), prices)


_EXAMPLE = '{"currency": "USD", "prices": [{"model": "gpt-4o", "tier": "default", "input": 2.5, "output": 10}]}'
