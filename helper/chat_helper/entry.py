"""The single entry and exit point: a query in, routed to its module's flow; outputs or one error line out.

The modules name their flow in the query (flow = "chat_completion", for instance). Each
flow is a subpackage with a flow.py whose answer() gives the outputs as values; they are encoded
for Terraform here, last. A new module's flow goes beside them and gets a name here.
"""

import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from .core.errors import HelperError, ManyErrors
from .core.protocol import encode_outputs, read_query, write_result
from .core.redaction import safe_line
from .core.run import Run, calling_provider

FLOW_KEY = "flow"
CHAT_COMPLETION = "chat_completion"
CHAT_COMPLETIONS = "chat_completions"
STORED_COMPLETION = "stored_completion"
RESPONSE = "response"
STORED_RESPONSE = "stored_response"
FLOWS = (CHAT_COMPLETION, CHAT_COMPLETIONS, STORED_COMPLETION, RESPONSE, STORED_RESPONSE)
DEFAULT_NAME = CHAT_COMPLETION  # the name on an error line before the query names its flow

Flow = Callable[[dict[str, str], Run, bool], dict[str, Any]]


def main(
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
    cache_only: bool = False,
    run: Run | None = None,
) -> int:
    """Answers one query. cache_only (the worker's own fast path) raises NeedsMoreThanCache on a call
    that needs the API or writes to the cache; everything else it answers as a full run would. run: the
    Terraform run the call belongs to (the process that started the helper), this process's parent by
    default."""
    name = DEFAULT_NAME
    try:
        query = read_query(stdin)
        name = flow_name(query)
        encoded = encode_outputs(
            _flow(name)(_without_flow_key(query), run or Run(os.getppid(), calling_provider()), cache_only)
        )
    except ManyErrors as errors:
        stderr.writelines(safe_line(f"{name}: {line}") + "\n" for line in errors.lines)
        return 1
    except HelperError as error:
        stderr.write(safe_line(f"{name}: {error}") + "\n")
        return 1
    except RecursionError:
        stderr.write(f"{name}: the query or the response is nested too deeply\n")
        return 1
    except KeyboardInterrupt:
        if cache_only:
            raise  # the worker's own: it stops, and its callers answer in-process
        stderr.write(f"{name}: interrupted\n")
        return 1
    except Exception as error:  # the last guard: never a traceback on a user's screen
        stderr.write(safe_line(f"{name}: internal error ({type(error).__name__}: {error}); please report it") + "\n")
        return 1
    write_result(encoded, stdout)
    return 0


def flow_name(query: dict[str, str]) -> str:
    """The flow the query names in its flow key (JSON-encoded, as every query value is)."""
    encoded = query.get(FLOW_KEY)
    for name in FLOWS:
        if encoded == f'"{name}"':
            return name
    expected = "one of " + ", ".join(f'"{name}"' for name in FLOWS)
    if encoded is None:
        raise HelperError(
            f"the query has no {FLOW_KEY!r} key: the modules send {FLOW_KEY} = {expected} to name their flow "
            f"(is this helper from the same release as the module?)"
        )
    raise HelperError(f"query key {FLOW_KEY!r} must be {expected} (JSON-encoded), not {encoded[:40]!r}")


def import_every_flow() -> None:
    """Every flow with all it imports on first use: the worker does it once, before it forks children."""
    from .chat import flow as chat
    from .chat_completions import flow as chat_completions
    from .response import flow as response
    from .stored import flow as stored
    from .stored_response import flow as stored_response

    chat.import_deferred()
    chat_completions.import_deferred()
    stored.import_deferred()
    response.import_deferred()
    stored_response.import_deferred()


def _flow(name: str) -> Flow:
    """The flow's answer(); each is imported only when its query comes (a flow costs imports)."""
    if name == CHAT_COMPLETION:
        from .chat.flow import answer as answer_chat

        return answer_chat
    if name == CHAT_COMPLETIONS:
        from .chat_completions.flow import answer as answer_many

        return answer_many
    if name == RESPONSE:
        from .response.flow import answer as answer_response

        return answer_response
    if name == STORED_RESPONSE:
        from .stored_response.flow import answer as answer_stored_response

        return answer_stored_response
    from .stored.flow import answer as answer_stored

    return answer_stored


def _without_flow_key(query: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in query.items() if key != FLOW_KEY}
