"""helper/main.py spend: what the answers in a cache folder and a team's store cost, by day and model,
against what the loopback server sent."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from testing.helper_process import helper_environment
from testing.paths import HELPER
from testing.store_entries import store_url


def ask(number: int, model: str = "gpt-4o") -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": f"Question number {number}"}]}


def spend(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(HELPER), "spend", *arguments],
        capture_output=True,
        text=True,
        env=helper_environment(env),
        timeout=120,
        check=False,
    )


def sent_totals(server: Any) -> dict[str, dict[str, int]]:
    """What the server answered, by model: requests and token counts."""
    totals: dict[str, dict[str, int]] = {}
    for request in server.completion_requests():
        usage = request.reply["usage"]
        row = totals.setdefault(request.reply["model"], {"requests": 0, "input": 0, "output": 0, "total": 0})
        row["requests"] += 1
        row["input"] += usage["prompt_tokens"]
        row["output"] += usage["completion_tokens"]
        row["total"] += usage["total_tokens"]
    return totals


def reported_totals(rows: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        total = totals.setdefault(row["model"], {"requests": 0, "input": 0, "output": 0, "total": 0})
        total["requests"] += row["requests"]
        total["input"] += row["input_tokens"]
        total["output"] += row["output_tokens"]
        total["total"] += row["total_tokens"]
    return totals


def test_the_report_totals_what_the_server_sent_by_model(run_helper, openai_server, tmp_path):
    for number in range(3):
        run_helper(ask(number))
    run_helper(ask(7, model="gpt-4o-mini"))
    run_helper(ask(0))  # a hit: no new answer, nothing more spent

    report = spend("--cache-dir", str(tmp_path / "cache"), "--json")

    assert report.returncode == 0, report.stderr
    rows = json.loads(report.stdout)
    assert reported_totals(rows) == sent_totals(openai_server)
    assert {row["day"] for row in rows} == {rows[0]["day"]} and len(rows[0]["day"]) == 10


def test_the_table_has_a_row_per_day_and_model_and_a_total(run_helper, openai_server, tmp_path):
    run_helper(ask(1))
    run_helper(ask(2, model="gpt-4o-mini"))

    lines = spend("--cache-dir", str(tmp_path / "cache")).stdout.splitlines()

    assert lines[0].split() == [
        *("day", "model", "requests", "input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens"),
        "total_tokens",
    ]
    assert [line.split()[1] for line in lines[2:4]] == ["gpt-4o", "gpt-4o-mini"]
    total = sum(int(line.split()[-1]) for line in lines[2:4])
    assert lines[-1].split()[:2] == ["total", "2"] and int(lines[-1].split()[-1]) == total


def test_since_leaves_out_earlier_days(run_helper, openai_server, tmp_path):
    run_helper(ask(1))
    cache = tmp_path / "cache"
    [path] = cache.glob("??/*.json")
    entry = json.loads(path.read_text())
    entry["spend"]["answered_at"] = "2026-01-02T03:04:05Z"
    path.write_text(json.dumps(entry))

    everything = json.loads(spend("--cache-dir", str(cache), "--json").stdout)
    recent = json.loads(spend("--cache-dir", str(cache), "--json", "--since", "2026-06-01").stdout)

    assert [row["day"] for row in everything] == ["2026-01-02"] and recent == []


def test_an_entry_without_a_record_is_read_from_its_response(run_helper, openai_server, tmp_path):
    run_helper(ask(1))
    [path] = (tmp_path / "cache").glob("??/*.json")
    entry = json.loads(path.read_text())
    del entry["spend"]
    path.write_text(json.dumps(entry))

    rows = json.loads(spend("--cache-dir", str(tmp_path / "cache"), "--json").stdout)

    assert reported_totals(rows) == sent_totals(openai_server)


def test_the_teams_store_is_read_with_cache_url(run_helper, openai_server, s3_server, s3_bucket, s3_env, tmp_path):
    url = store_url(s3_server, s3_bucket)
    for number in range(2):
        run_helper({**ask(number), "cache_url": url}, env=s3_env)
    empty = tmp_path / "another-machine"
    empty.mkdir()

    report = spend("--cache-dir", str(empty), "--cache-url", url, "--json", env=s3_env)

    assert report.returncode == 0, report.stderr
    assert reported_totals(json.loads(report.stdout)) == sent_totals(openai_server)


def test_a_missing_folder_is_one_line_naming_it(tmp_path: Path):
    report = spend("--cache-dir", str(tmp_path / "nowhere"))

    assert report.returncode == 1 and report.stdout == ""
    missing = tmp_path / "nowhere"
    assert (
        report.stderr
        == f"spend: there is no cache folder {missing}: name it with --cache-dir (and the store with --cache-url)\n"
    )


def test_entries_it_did_not_write_are_counted_as_far_as_they_can_be_read(run_helper, openai_server, tmp_path):
    """An entry from another release or written by hand (in a team's store, say): counts that are not whole
    numbers count 0, a record's time that cannot be read is read from the response, one neither has counts
    under "(unknown)"; never a traceback."""
    for number in range(3):
        run_helper(ask(number))
    first, second, third = sorted((tmp_path / "cache").glob("??/*.json"))
    odd_record = json.loads(first.read_text())
    odd_record["spend"].update({"input_tokens": "lots", "output_tokens": None, "model": 5})
    first.write_text(json.dumps(odd_record))
    far_created = json.loads(second.read_text())
    del far_created["spend"]
    far_created["response"]["created"] = 10**20
    second.write_text(json.dumps(far_created))
    odd_time = json.loads(third.read_text())
    odd_time["spend"]["answered_at"] = "yesterday"
    third.write_text(json.dumps(odd_time))

    report = spend("--cache-dir", str(tmp_path / "cache"), "--json")

    assert report.returncode == 0, report.stderr
    rows = {(row["day"], row["model"]): row for row in json.loads(report.stdout)}
    assert sum(row["requests"] for row in rows.values()) == 3
    assert sum(row["requests"] for (day, _), row in rows.items() if day == "(unknown)") == 1  # the far created
    [hand_made] = [row for (_, model), row in rows.items() if model == "(unknown)"]
    assert hand_made["input_tokens"] == 0 and hand_made["output_tokens"] == 0
    assert hand_made["total_tokens"] == odd_record["spend"]["total_tokens"]
    since = spend("--cache-dir", str(tmp_path / "cache"), "--json", "--since", "2000-01-01")
    assert sum(row["requests"] for row in json.loads(since.stdout)) == 2  # "yesterday": read from its response
