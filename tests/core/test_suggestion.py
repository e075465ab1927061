"""The nearest valid name to a misspelt one (core/suggestion.py), by Terraform's rule: fewer than three edits."""

import pytest
from chat_helper.core.suggestion import did_you_mean, edit_distance, nearest_name

NAMES = ("model", "messages", "temperature", "top_p", "n", "stop", "store", "max_tokens", "tool_choice")


@pytest.mark.parametrize(
    ("first", "second", "edits"),
    [("", "", 0), ("abc", "abc", 0), ("temprature", "temperature", 1), ("contnet", "content", 2), ("", "ab", 2)],
)
def test_edit_distance_counts_insertions_deletions_and_substitutions(first, second, edits):
    assert edit_distance(first, second) == edits == edit_distance(second, first)


@pytest.mark.parametrize(
    ("written", "nearest"),
    [
        ("temprature", "temperature"),
        ("max_token", "max_tokens"),
        ("toolchoice", "tool_choice"),
        ("top-p", "top_p"),
        ("modle", "model"),
        ("stream", None),  # three edits from store: no guess
        ("xy", None),  # two edits from n, but as many as it has letters: not a misspelling of it
        ("frequency", None),
    ],
)
def test_the_nearest_name_is_fewer_than_three_edits_away(written, nearest):
    assert nearest_name(written, NAMES) == nearest


def test_did_you_mean_ends_a_line_or_adds_nothing():
    assert did_you_mean("mesages", NAMES) == "; did you mean messages?"
    assert did_you_mean("unrelated", NAMES) == ""
