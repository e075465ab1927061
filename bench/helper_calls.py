"""The helper per call: a Python start, a standard-library POST, and the helper's hits and misses with
and without its worker; and each process's peak memory."""

import subprocess
from pathlib import Path

from bench.measure import Row, progress
from bench.workload import HELPER, PYTHON, Workload

GNU_TIME = Path("/usr/bin/time")

STDLIB_POST = """
import http.client, json, os, sys, urllib.parse
url = urllib.parse.urlsplit(os.environ["OPENAI_BASE_URL"])
connection = http.client.HTTPConnection(url.hostname, url.port)
body = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": sys.stdin.read()}]})
headers = {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"], "Content-Type": "application/json"}
connection.request("POST", url.path + "/chat/completions", body, headers)
sys.stdout.write(connection.getresponse().read().decode())
"""


def helper_rows(workload: Workload, runs: int) -> list[Row]:
    """The first row is the Python start, the second the floor the others are compared with."""
    python, helper = str(PYTHON), str(HELPER)
    off = {**workload.env, "CHAT_HELPER_WORKER": "off"}
    hit_query = workload.helper_query("The question every hit asks")
    workload.run([python, helper], hit_query, off)  # stores the answer the hit rows read
    rows = {
        "pass": Row("`python3 -c pass` (a Python start)"),
        "post": Row("standard-library POST to the server (the floor)"),
        "hit": Row("helper, cache hit, worker running"),
        "miss": Row("helper, cache miss, worker running"),
        "first": Row("helper, cache miss, no worker yet (first call of a plan)"),
        "hit_off": Row("helper, cache hit, worker off (in-process)"),
        "miss_off": Row("helper, cache miss, worker off (in-process)"),
    }
    if workload.store is not None:
        rows["store_hit"] = Row("helper, object store hit (local folder empty), worker running")
        rows["store_hit_off"] = Row("helper, object store hit (local folder empty), worker off (in-process)")
    for round_number in range(1, runs + 1):
        progress(f"helper calls, round {round_number}/{runs}")
        rows["pass"].samples.append(workload.run([python, "-c", "pass"]))
        rows["post"].samples.append(workload.run([python, "-c", STDLIB_POST], "hello"))
        rows["hit_off"].samples.append(workload.run([python, helper], hit_query, off))
        rows["miss_off"].samples.append(
            workload.run([python, helper], workload.helper_query(workload.new_question()), off)
        )
        workload.stop_workers()
        rows["first"].samples.append(workload.run([python, helper], workload.helper_query(workload.new_question())))
        rows["hit"].samples.append(workload.run([python, helper], hit_query))
        rows["miss"].samples.append(workload.run([python, helper], workload.helper_query(workload.new_question())))
        if workload.store is not None:
            rows["store_hit"].samples.append(workload.run([python, helper], _stored_elsewhere(workload)))
            rows["store_hit_off"].samples.append(workload.run([python, helper], _stored_elsewhere(workload), off))
    workload.record_worker_peak()
    return list(rows.values())


def memory_rows(workload: Workload) -> list[tuple[str, int | None]]:
    python, helper = str(PYTHON), str(HELPER)
    off = {**workload.env, "CHAT_HELPER_WORKER": "off"}
    hit_query = workload.helper_query("The question every hit asks")
    workload.run([python, helper], hit_query)  # a worker is running for the rows below
    measured = [
        ("`python3 -c pass`", _peak_rss_kb(workload, [python, "-c", "pass"])),
        ("helper call, cache hit, worker running", _peak_rss_kb(workload, [python, helper], hit_query)),
        (
            "helper call, cache miss, worker running",
            _peak_rss_kb(workload, [python, helper], workload.helper_query(workload.new_question())),
        ),
        (
            "helper call, cache miss, worker off (in-process)",
            _peak_rss_kb(workload, [python, helper], workload.helper_query(workload.new_question()), off),
        ),
    ]
    workload.record_worker_peak()
    measured.append(
        ("the worker (one per plan; its per-call children share its pages)", workload.worker_peak_kb or None)
    )
    return measured


def _stored_elsewhere(workload: Workload) -> str:
    """A new question whose answer another machine put in the store: this machine's folder lacks it."""
    question = workload.new_question()
    workload.run([str(PYTHON), str(HELPER)], workload.helper_query(question, workload.workdir / "other-machine", True))
    return workload.helper_query(question, with_store=True)


def _peak_rss_kb(workload: Workload, argv: list[str], stdin: str = "", env: dict[str, str] | None = None) -> int | None:
    """Peak RSS of one process, through GNU time (a small parent: its own size does not count)."""
    if not GNU_TIME.exists():
        return None
    report = workload.workdir / "rss.txt"
    subprocess.run(
        [str(GNU_TIME), "-o", str(report), "-f", "%M", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env or workload.env,
        check=True,
    )
    return int(report.read_text().split()[-1])
