"""The nearest valid name to a misspelt one, by Terraform's own rule for a typed input (fewer than three
edits): for the names the helper checks itself (a key of chat_completions' requests, a key inside an
object of an untyped input), where Terraform cannot suggest one."""

from collections.abc import Iterable

MOST_EDITS = 2  # Terraform suggests a name fewer than three edits away


def nearest_name(name: str, candidates: Iterable[str]) -> str | None:
    """The first candidate fewest edits from name, when it is close enough to be the likely intent (and
    not merely short: "xy" is not a misspelt "n")."""
    best, best_edits = None, MOST_EDITS + 1
    for candidate in candidates:
        edits = edit_distance(name, candidate)
        if edits < best_edits and edits < len(name):
            best, best_edits = candidate, edits
    return best


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """ "; did you mean temperature?" to end an error line with, or "" when no name is close."""
    nearest = nearest_name(name, candidates)
    return f"; did you mean {nearest}?" if nearest else ""


def edit_distance(first: str, second: str) -> int:
    """Levenshtein distance: the fewest insertions, deletions and substitutions from first to second."""
    previous = list(range(len(second) + 1))
    for row, left in enumerate(first, 1):
        current = [row]
        for column, right in enumerate(second, 1):
            current.append(min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (left != right)))
        previous = current
    return previous[-1]
