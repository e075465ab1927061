"""Markdown tables of the measured rows: medians, ratios to a baseline of the same run, costs per block."""

from collections.abc import Iterator

from bench.configs import FORM_NAMES
from bench.growth import Key
from bench.instances import SHAPE_FLOOR
from bench.many import ROWS as MANY_ROWS
from bench.many import Key as ManyKey
from bench.measure import Row
from bench.modules import PARTS, REFERENCE, PartCounts

MEASURES = {"wall": "Wall time", "cpu": "CPU time of the tool, its children and the helper's worker"}


def helper_table(rows: list[Row]) -> Iterator[str]:
    python_start = rows[0].median
    floor = rows[1].median
    yield "| call | median | client CPU | vs `python3 -c pass` | vs stdlib POST |"
    yield "|---|---:|---:|---:|---:|"
    for row in rows:
        yield (
            f"| {row.label} | {row.median * 1000:.0f} ms | {row.median_cpu * 1000:.0f} ms "
            f"| {row.median / python_start:.2f}x | {row.median / floor:.2f}x |"
        )


def instances_table(tool: str, version: str, table: dict[int, list[Row]]) -> Iterator[str]:
    """Each cell: the median, its ratio to the baseline and, below the floor row, to that floor."""
    sizes = sorted(table)
    yield f"| {tool} {version}: `plan`, count = N | " + " | ".join(f"N = {n}" for n in sizes) + " |"
    yield "|---|" + "---:|" * len(sizes)
    floor_index = next(index for index, row in enumerate(table[sizes[0]]) if row.label == SHAPE_FLOOR)
    for index, row in enumerate(table[sizes[0]]):
        cells = []
        for size in sizes:
            measured, baseline, floor = table[size][index], table[size][0], table[size][floor_index]
            ratios = [] if index == 0 else [f"{measured.median / baseline.median:.2f}x"]
            if index > floor_index:
                ratios.append(f"{measured.median / floor.median:.2f}x")
            cells.append(f"{measured.median:.2f} s" + (f" ({'; '.join(ratios)})" if ratios else ""))
        yield f"| {row.label} | " + " | ".join(cells) + " |"


def growth_table(tool: str, version: str, measure: str, rows: dict[Key, Row]) -> Iterator[str]:
    """Rows: form and N; columns: what was planned. Each cell: the median, its ratio to `data "http"`
    at that N, and the cost of each block past the first, (median(N) - median(1)) / (N - 1)."""
    forms = list(dict.fromkeys(form for row_tool, form, _, _ in rows if row_tool == tool))
    sizes = sorted({size for row_tool, _, size, _ in rows if row_tool == tool})
    names = list(dict.fromkeys(name for row_tool, _, _, name in rows if row_tool == tool))
    headers = {"http": '`data "http"`', "floor": "interface floor", "noop": "module, no-op"}
    headers |= {"warm": "module, warm", "cold": "module, cold", "copied": "module, warm, copied"}
    cold_minus_warm = "cold" in names
    yield (
        f"| {tool} {version}, {measure} | N | "
        + " | ".join(headers[name] for name in names)
        + (" | cold - warm |" if cold_minus_warm else " |")
    )
    yield "|---|---:|" + "---:|" * (len(names) + cold_minus_warm)
    for form in forms:
        for size in sizes:
            http = rows[tool, form, size, "http"].value(measure)
            cells = []
            for name in names:
                row = rows.get((tool, form, size, name))
                if row is None:
                    cells.append("")
                    continue
                value = row.value(measure)
                notes = [] if name == "http" else [f"{value / http:.1f}x"]
                first = rows.get((tool, form, 1, name))
                if size > 1 and first is not None:
                    notes.append(f"{(value - first.value(measure)) / (size - 1) * 1000:.0f} ms")
                cells.append(f"{value:.2f} s" + (f" ({'; '.join(notes)})" if notes else ""))
            if cold_minus_warm:
                cold = rows.get((tool, form, size, "cold"))
                warm = rows[tool, form, size, "warm"]
                cells.append("" if cold is None else f"{cold.value(measure) - warm.value(measure):+.2f} s")
            yield f"| {FORM_NAMES[form]} | {size} | " + " | ".join(cells) + " |"


def parts_table(
    tool: str,
    version: str,
    rows: dict[tuple[str, str], Row],
    size: int,
    k: int,
    counts: dict[str, PartCounts],
) -> Iterator[str]:
    """Per part: its cost per block (the variant minus its reference, over N blocks and K parts), and
    that times how many more the module has than the base; then the sum beside the module's measured cost."""
    base = rows[tool, "base"]
    module, base_counts = counts["module"], counts["base"]
    yield (
        f"| {tool} {version}, {size} separate blocks | wall | CPU | per part per block: wall | CPU "
        "| in the module (more than the base) | the module's parts per block: CPU |"
    )
    yield "|---|---:|---:|---:|---:|---:|---:|"
    yield f"| {base.label} | {base.median:.2f} s | {base.median_cpu:.2f} s | | | | |"
    estimate = 0.0
    for part in PARTS:
        row, reference = rows[tool, part], rows[tool, REFERENCE[part]]
        per_part_wall = (row.median - reference.median) / size / k
        per_part_cpu = (row.median_cpu - reference.median_cpu) / size / k
        more = module.of(part) - base_counts.of(part)
        estimate += more * per_part_cpu
        yield (
            f"| {row.label} | {row.median:.2f} s | {row.median_cpu:.2f} s | {per_part_wall * 1000:.2f} ms "
            f"| {per_part_cpu * 1000:.2f} ms | {module.of(part)} ({more}) | {more * per_part_cpu * 1000:.0f} ms |"
        )
    yield f"| the sum of the parts | | | | | | {estimate * 1000:.0f} ms |"
    for name in ("floor", "module"):
        row = rows[tool, name]
        measured = (row.median_cpu - base.median_cpu) / size
        yield (
            f"| {row.label}, measured (minus the base, per block) | {row.median:.2f} s | {row.median_cpu:.2f} s "
            f"| | | | {measured * 1000:.0f} ms |"
        )


def memory_table(rows: list[tuple[str, int | None]]) -> Iterator[str]:
    yield "| process | peak RSS |"
    yield "|---|---:|"
    for label, kilobytes in rows:
        yield f"| {label} | {'n/a' if kilobytes is None else f'{kilobytes / 1024:.1f} MB'} |"


def many_table(tool: str, version: str, latency: float, rows: dict[ManyKey, Row]) -> Iterator[str]:
    """Rows: N; columns: the ways of asking N questions. Each cell: the median wall time and its ratio to
    N `data "http"` POSTs at that N and latency."""
    sizes = sorted({size for row_tool, row_latency, size, _ in rows if (row_tool, row_latency) == (tool, latency)})
    yield f"| {tool} {version}, {latency * 1000:.0f} ms per answer | N | " + " | ".join(MANY_ROWS.values()) + " |"
    yield "|---|---:|" + "---:|" * len(MANY_ROWS)
    for size in sizes:
        http = rows[tool, latency, size, "http"].median
        cells = []
        for name in MANY_ROWS:
            value = rows[tool, latency, size, name].median
            cells.append(f"{value:.2f} s" + ("" if name == "http" else f" ({value / http:.2f}x)"))
        yield f"| | {size} | " + " | ".join(cells) + " |"


def many_growth(tool: str, rows: dict[ManyKey, Row]) -> Iterator[str]:
    """How the warm block's time grows with N, beside N itself: less than linear where answers are cached."""
    warm = {
        size: row.median for (row_tool, _, size, name), row in rows.items() if row_tool == tool and name == "many-warm"
    }
    sizes = sorted(warm)
    for size in sizes[1:]:
        yield (
            f"- {tool}: one chat_completions block, warm, {size} prompts against {sizes[0]}: "
            f"{warm[size] / warm[sizes[0]]:.2f}x the time for {size / sizes[0]:.0f}x the prompts"
        )


def many_summary(versions: dict[str, str], latency: float, rows: dict[ManyKey, Row]) -> Iterator[str]:
    """The largest N of the many section, one row per tool: warm beside the POSTs at no latency, cold
    beside the POSTs at a model's latency. Each cell: the median and its ratio to the POSTs."""
    size = max(size for _, _, size, _ in rows)
    http = '`data "http"`'
    yield (
        f"| {size} prompts | {http} | {size} blocks, warm | one block, warm | {http}, {latency * 1000:.0f} ms "
        f"| {size} blocks, cold | {MANY_ROWS['many-cold']} | {MANY_ROWS['many-cold-wide']} |"
    )
    yield "|---|---:|---:|---:|---:|---:|---:|---:|"
    columns = (
        (0.0, ("http", "separate-warm", "many-warm")),
        (latency, ("http", "separate-cold", "many-cold", "many-cold-wide")),
    )
    for tool, version in versions.items():
        cells = []
        for row_latency, names in columns:
            baseline = rows[tool, row_latency, size, "http"].median
            for name in names:
                value = rows[tool, row_latency, size, name].median
                cells.append(f"{value:.2f} s" + ("" if name == "http" else f" ({value / baseline:.2f}x)"))
        yield f"| {tool} {version} | " + " | ".join(cells) + " |"
