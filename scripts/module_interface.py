"""The one declaration of the five modules' interfaces: every input and output, with its type, default
and description, and which modules have it (MODULES, in each module's order and sections).

scripts/generate_modules.py writes each module's variables.tf, outputs.tf and main.tf from it (`make
docs`); `make lint` fails when one of them differs from what it would write. A module's truly own
parts (its data source's query additions, its precondition, its comments) are declared in its
Module below. An input or output that reads differently in one module says so in `differs`.
tests/test_module_declaration.py holds the helper's input tables and query keys to this declaration.

Plain Python with no imports beyond the standard library: the generator (dev venv) and the tests
read it, and the helper never does.
"""

from dataclasses import dataclass, field, fields, replace
from textwrap import dedent
from typing import Any, TypeVar

REQUIRED = None  # the default of an input the caller must set


def block(text: str) -> str:
    """A multi-line HCL type, written as terraform fmt writes it (the lines after the first indented by
    their depth)."""
    return dedent(text).strip("\n")


KEEP: Any = object()  # a Differs field a module leaves as declared


@dataclass(frozen=True)
class Differs:
    """What one module writes differently of an input or an output: each field set replaces the
    declared one for that module."""

    type: str = KEEP
    description: str = KEEP
    default: str | None = KEEP
    nullable: bool | None = KEEP
    send: str | None = KEEP
    comment: str = KEEP
    value: str = KEEP

    def applied_to(self, declared: "Declared") -> "Declared":
        changes = {item.name: getattr(self, item.name) for item in fields(self) if getattr(self, item.name) is not KEEP}
        return replace(declared, **changes, differs={})


@dataclass(frozen=True)
class Input:
    """A module input. type and default are HCL (default REQUIRED: none; nullable None: not written); send
    is the HCL expression the query sends for it ({name} stands for its name; None: not sent, as the
    program inputs, which the program expression reads)."""

    type: str
    description: str
    default: str | None = "null"
    nullable: bool | None = None
    send: str | None = "var.{name}"
    comment: str = ""  # prose for a comment above the block
    differs: dict[str, Differs] = field(default_factory=dict)

    def seen_by(self, module: str) -> "Input":
        """This input as module declares it."""
        change = self.differs.get(module)
        return self if change is None else change.applied_to(self)


LIST_FILTER = "var.completion_id == null ? var.{name} : null"  # stored_completion's list filters: not sent with an id
SHOWN = "local.shown.{name}"  # an answer or a prompt: decoded together and marked sensitive with sensitive = true


@dataclass(frozen=True)
class Output:
    """A module output: value is its HCL expression (default: the result's key of the same name, decoded)."""

    description: str
    value: str = "jsondecode(local.result.{name})"
    differs: dict[str, Differs] = field(default_factory=dict)

    def seen_by(self, module: str) -> "Output":
        """This output as module declares it."""
        change = self.differs.get(module)
        return self if change is None else change.applied_to(self)


Declared = TypeVar("Declared", Input, Output)


# The sections of the modules' inputs, each a title and the names in it, in order. A module's inputs
# are its sections' names: a new input goes into the sections of each module that takes it.
CHAT_REQUEST_SECTIONS = (
    (
        "Tools and output format",
        ("tools", "tool_choice", "parallel_tool_calls", "functions", "function_call", "response_format"),
    ),
    (
        "Sampling and limits",
        (
            "temperature",
            "top_p",
            "n",
            "stop",
            "max_tokens",
            "max_completion_tokens",
            "presence_penalty",
            "frequency_penalty",
            "logit_bias",
            "logprobs",
            "top_logprobs",
            "seed",
            "reasoning_effort",
            "verbosity",
            "service_tier",
        ),
    ),
    (
        "Tracking and storage",
        ("user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "store", "metadata"),
    ),
)
# chat_completion's request inputs (and chat_completions' request defaults), in the order of
# helper/chat_helper/chat/inputs.py's REQUEST_INPUTS.
CHAT_REQUEST = ("model", "messages", *(name for _, names in CHAT_REQUEST_SECTIONS for name in names))
ENDPOINT = ("base_url", "organization", "project")
# What every module that asks for answers takes after its request (the helper's ANSWER_SETTINGS).
ANSWER_SECTIONS = (
    ("Cache", ("cache_mode", "cache_dir", "cache_url", "regenerate")),
    ("Spend guard", ("max_requests_per_run", "max_tokens_per_run", "flex_fallback")),
    ("Guardrails and display", ("allow_length_cutoff", "allow_content_filter", "allow_refusal", "sensitive")),
)
PYTHON_SECTION = ("The helper's Python", ("python", "python_packages", "python_env_dir"))

INPUTS: dict[str, Input] = {
    "model": Input(
        type="string",
        description="Model ID, for example gpt-4o, gpt-4 or gpt-3.5-turbo.",
        default=REQUIRED,
        nullable=False,
        differs={
            "chat_completions": Differs(
                description="Model ID, for example gpt-4o, gpt-4 or gpt-3.5-turbo: the default of every key (each key needs one, its own or this).",
                default="null",
                nullable=None,
            ),
            "response": Differs(
                description="Model ID, for example gpt-4o, gpt-4.1-mini, o4-mini or gpt-5 (on Azure OpenAI: the deployment's name)."
            ),
            "stored_completion": Differs(
                description="List filter: only completions made with this model. Default: every model.",
                default="null",
                nullable=None,
                send=LIST_FILTER,
            ),
        },
    ),
    "messages": Input(
        type=block(
            """
            list(object({
              role    = string
              content = optional(string)
              name    = optional(string)
              function_call = optional(object({
                name      = string
                arguments = string
              }))
              tool_calls = optional(list(object({
                id   = string
                type = optional(string, "function")
                function = object({
                  name      = string
                  arguments = string
                })
              })))
              tool_call_id = optional(string)
            }))
            """
        ),
        description="The whole conversation, oldest first: each { role, content, name, function_call, tool_calls, tool_call_id }. role is system, user, assistant, function, developer or tool.",
        default=REQUIRED,
        nullable=False,
        differs={
            "chat_completions": Differs(
                description="The default conversation of every key that sets none (each key needs one, its own or this): each { role, content, name, function_call, tool_calls, tool_call_id }, oldest first. role is system, user, assistant, function, developer or tool.",
                default="null",
                nullable=None,
            )
        },
    ),
    "tools": Input(
        type=block(
            """
            list(object({
              name        = string
              description = optional(string)
              parameters  = optional(string)
              strict      = optional(bool)
            }))
            """
        ),
        description="Tools (functions) the model may call: each { name, description, parameters = jsonencode(<JSON Schema object>), strict }. With strict = true the schema must close every object (additionalProperties = false) and require every property.",
        differs={
            "response": Differs(
                description="Function tools the model may call: each { name, description, parameters = jsonencode(<JSON Schema object>), strict }. strict is true unless set to false (the API's default), and the schema must then close every object (additionalProperties = false) and require every property. A tool without parameters takes no arguments."
            )
        },
    ),
    "tool_choice": Input(
        type="string",
        description='"none", "auto", "required", or the name of a declared tool to force. API default: "auto" when tools are given.',
        differs={
            "response": Differs(
                description='"none", "auto", "required", the name of a function tool to force, or the type of a hosted tool to force (file_search, web_search_preview, code_interpreter, image_generation, computer_use_preview). API default: "auto" when tools are given.'
            )
        },
    ),
    "parallel_tool_calls": Input(
        type="bool",
        description="Whether the model may call several tools in one answer. API default: true. Needs tools.",
        differs={
            "response": Differs(
                description="Whether the model may call several tools in one answer. API default: true. Needs tools or hosted_tools."
            )
        },
    ),
    "functions": Input(
        type=block(
            """
            list(object({
              name        = string
              description = optional(string)
              parameters  = string
            }))
            """
        ),
        description="Functions the model may call (deprecated by the API in favour of tools): each { name, description, parameters = jsonencode(<JSON Schema object>) }.",
    ),
    "function_call": Input(
        type="string",
        description='"none", "auto", or the name of a declared function to force. API default: "auto" when functions are given.',
    ),
    "response_format": Input(
        type=block(
            """
            object({
              type        = string
              name        = optional(string)
              description = optional(string)
              schema      = optional(string)
              strict      = optional(bool)
            })
            """
        ),
        description='The answer\'s format: { type = "text" }, { type = "json_object" }, or { type = "json_schema", name, schema = jsonencode(<JSON Schema object>), strict, description }. With a JSON format the parsed answer is the parsed output, checked against the schema.',
    ),
    "temperature": Input(
        type="number",
        description="Sampling temperature, 0 to 2. API default: 1.0.",
        differs={
            "response": Differs(
                description="Sampling temperature, 0 to 2 (reasoning models reject it). API default: 1.0."
            )
        },
    ),
    "top_p": Input(type="number", description="Nucleus sampling mass, 0 to 1. API default: 1.0."),
    "n": Input(type="number", description="How many choices to generate, 1 to 128. API default: 1."),
    "stop": Input(
        type="list(string)", description="Up to 4 sequences where the model stops generating. API default: none."
    ),
    "max_tokens": Input(
        type="number", description="Most tokens to generate (a positive whole number). API default: the model's limit."
    ),
    "max_completion_tokens": Input(
        type="number",
        description="Most tokens to generate, reasoning tokens included (reasoning models reject max_tokens). A positive whole number.",
    ),
    "presence_penalty": Input(
        type="number", description="Penalty for tokens already present, -2.0 to 2.0. API default: 0."
    ),
    "frequency_penalty": Input(type="number", description="Penalty for frequent tokens, -2.0 to 2.0. API default: 0."),
    "logit_bias": Input(
        type="map(number)",
        description='Bias per token ID: { "<token id>" = -100..100 }. -100 bans a token, 100 forces it.',
    ),
    "logprobs": Input(
        type="bool",
        description="Return the log probabilities of the answer's tokens, in choices[*].logprobs (see top_logprobs). API default: false.",
    ),
    "top_logprobs": Input(
        type="number",
        description="How many most likely tokens to return at each position, 0 to 20. Needs logprobs = true.",
        differs={
            "response": Differs(
                description='How many most likely tokens to return at each position, 0 to 20 (with include = ["message.output_text.logprobs"], they are in the output items\' json).'
            )
        },
    ),
    "seed": Input(
        type="number",
        description="Best-effort deterministic sampling: the same seed and request tend to give the same answer (see system_fingerprint).",
    ),
    "reasoning_effort": Input(
        type="string",
        description="Reasoning models only: none, minimal, low, medium, high, xhigh or max. API default: medium.",
    ),
    "verbosity": Input(
        type="string",
        description="How long the answer should be: low, medium or high (GPT-5 family models only). API default: medium.",
        differs={
            "response": Differs(
                description="How long the answer should be: low, medium or high (GPT-5 family models). API default: medium."
            )
        },
    ),
    "service_tier": Input(
        type="string",
        description="Processing tier: auto, default, flex, scale, priority or fast. API default: auto.",
        differs={
            "response": Differs(
                description="Processing tier: auto, default, flex, scale, priority, fast or ultrafast. API default: auto."
            )
        },
    ),
    "user": Input(
        type="string", description="An identifier of your end user, for abuse monitoring. API default: none."
    ),
    "safety_identifier": Input(
        type="string",
        description="A stable identifier of your end user for abuse detection, at most 64 characters (hash it; the API asks for no personal data).",
    ),
    "prompt_cache_key": Input(
        type="string",
        description="Groups similar requests for the API's prompt caching (a cost and latency hint). It is part of the request: changing it asks again.",
    ),
    "prompt_cache_retention": Input(
        type="string",
        description="How long the API may keep this request's cached prompt prefix: in_memory, or 24h (extended prompt caching, for plans hours apart; cached input tokens cost less). It is part of the request: changing it asks again. API default: depends on the model and the organization.",
    ),
    "store": Input(
        type="bool",
        description="Store the completion for later retrieval (see modules/stored_completion). API default: false.",
        differs={
            "response": Differs(
                description="Store the response for later retrieval (previous_response_id, modules/stored_response). API default: true."
            )
        },
    ),
    "metadata": Input(
        type="map(string)",
        description="Tags stored with the completion: at most 16 pairs, keys up to 64 characters, values up to 512.",
        differs={
            "response": Differs(
                description="Tags stored with the response: at most 16 pairs, keys up to 64 characters, values up to 512."
            ),
            "stored_completion": Differs(
                description="List filter: only completions whose metadata holds every one of these pairs. At most 16 pairs, keys up to 64 characters, values up to 512. Default: no filter.",
                send=LIST_FILTER,
            ),
        },
    ),
    "base_url": Input(
        type="string",
        description="Base URL of an OpenAI-compatible API, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1.",
        differs={
            "response": Differs(
                description="Base URL of an OpenAI-compatible API that serves POST /responses, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1."
            ),
            "stored_response": Differs(
                description="Base URL of an OpenAI-compatible API that serves GET /responses/{id}, ending in /v1. Default: OPENAI_BASE_URL from the environment, else https://api.openai.com/v1."
            ),
        },
    ),
    "organization": Input(
        type="string",
        description="OpenAI organization ID sent as OpenAI-Organization. Default: OPENAI_ORG_ID from the environment.",
    ),
    "project": Input(
        type="string",
        description="OpenAI project ID sent as OpenAI-Project. Default: OPENAI_PROJECT_ID from the environment.",
        differs={
            "stored_completion": Differs(
                description="OpenAI project ID sent as OpenAI-Project (stored completions are visible to the project that stored them). Default: OPENAI_PROJECT_ID from the environment."
            ),
            "stored_response": Differs(
                description="OpenAI project ID sent as OpenAI-Project (a stored response is visible to the project that made it). Default: OPENAI_PROJECT_ID from the environment."
            ),
        },
    ),
    "azure_endpoint": Input(
        type="string",
        description="Azure OpenAI: the resource's endpoint, for example https://my-resource.openai.azure.com. Set it with azure_deployment; the key comes from AZURE_OPENAI_API_KEY. Cannot be combined with base_url.",
        differs={
            "response": Differs(
                description="Azure OpenAI: the resource's endpoint, for example https://my-resource.openai.azure.com; model then names the deployment, and the key comes from AZURE_OPENAI_API_KEY. Cannot be combined with base_url."
            )
        },
    ),
    "azure_deployment": Input(
        type="string", description="Azure OpenAI: the deployment that answers (it decides the model)."
    ),
    "azure_api_version": Input(
        type="string",
        description="Azure OpenAI: the data-plane API version (used only with azure_endpoint).",
        default='"2024-10-21"',
        nullable=False,
        differs={
            "response": Differs(
                description="Azure OpenAI: the data-plane API version (used only with azure_endpoint; the Responses API needs 2025-03-01-preview or later).",
                default='"2025-04-01-preview"',
            )
        },
        send="var.azure_endpoint == null ? null : var.azure_api_version",
    ),
    "timeout_seconds": Input(
        type="number",
        description="Bound on the exchanges with the API for one request, retries of a failing server included, and on a server that stops answering; waiting for a turn under the account's rate limits is bounded by rate_limit_wait_seconds instead (the external provider has no timeout of its own). Default: 120, or 900 with service_tier = \"flex\" (Flex answers slowly; OpenAI's Flex guide allows 15 minutes).",
        differs={
            "stored_completion": Differs(
                description="Bound on the whole read, every page, retries and waits included (the external provider has no timeout of its own).",
                default="120",
                nullable=False,
            ),
            "stored_response": Differs(
                description="Bound on the whole read, every page, retries and waits included (the external provider has no timeout of its own).",
                default="120",
                nullable=False,
            ),
        },
    ),
    "requests_per_minute": Input(
        type="number",
        description="Your own cap on API requests per minute (at most this many in any 60 s), on top of the limits the API reports, in the same view shared by every helper process of the machine for the endpoint, key and model (retries included). Default: no cap of your own.",
    ),
    "rate_limit_wait_seconds": Input(
        type="number",
        description="Bound on waiting for turns under the account's rate limits (the x-ratelimit-* headers and 429s of the API), apart from timeout_seconds. A block whose requests cannot all be sent within it fails at once, before sending more, and says what to raise (0 to 86400). Default: 600, enough for 400 requests of 400 tokens under 24,000 tokens per minute.",
    ),
    "cache_mode": Input(
        type="string",
        description="read-write: answer from the cache, call the API on a miss and store the answer. replay: never call the API; fail on a miss (for CI). off: always call.",
        default='"read-write"',
        nullable=False,
    ),
    "cache_dir": Input(
        type="string",
        description="Folder of stored answers, relative to the root module. Commit one to share answers with your team and CI. Default: .terraform/openai-chat-cache.",
    ),
    "cache_url": Input(
        type="string",
        description="A team's answer store on S3-compatible object storage, behind cache_dir: s3://bucket/prefix, with ?endpoint=https://host:port&region=...&path_style=true for stores other than AWS S3. Credentials come from the AWS chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, roles), never from here. Default: CHAT_HELPER_CACHE_URL from the environment, else none.",
    ),
    "regenerate": Input(
        type="string",
        description="Change this value to ask for a new answer to the same request (like keepers in the random provider).",
        differs={
            "chat_completions": Differs(
                description="Change this value to ask for new answers to every key (like keepers in the random provider); a key's own regenerate asks again for that key alone."
            )
        },
    ),
    "max_requests_per_run": Input(
        type="number",
        description="Most requests one run may send to the API: a terraform plan or apply, or every plan sharing CHAT_HELPER_RUN_ID. Every request of the run counts, whichever block sent it (cache and store hits do not; a request's retries count once); this block sends none past it. Default: CHAT_HELPER_MAX_REQUESTS_PER_RUN from the environment, else no cap.",
    ),
    "max_tokens_per_run": Input(
        type="number",
        description="Most tokens (usage.total_tokens) one run's answers may use, counted like max_requests_per_run. Each request reserves its estimate (characters / 4 plus its output limit) before it is sent, so requests in flight do not pass it; one that does not fit waits for them, and fails once nothing in flight could make room. Default: CHAT_HELPER_MAX_TOKENS_PER_RUN from the environment, else no cap.",
    ),
    "flex_fallback": Input(
        type="bool",
        description='With service_tier = "flex": when Flex has no capacity (429 Resource Unavailable, not charged), ask again at once at the standard tier (service_tier = "auto", standard prices) instead of retrying Flex with backoff until timeout_seconds. The service_tier output says which tier answered.',
        default="false",
        nullable=False,
        send="var.{name} ? true : null",
    ),
    "allow_length_cutoff": Input(
        type="bool",
        description='Accept an answer cut off by the token limit (finish_reason = "length"). Default: such an answer fails the plan. A cut-off JSON answer (response_format) fails anyway: it cannot be parsed.',
        default="false",
        nullable=False,
        differs={
            "response": Differs(
                description='Accept an answer cut off by max_output_tokens (status = "incomplete", reason max_output_tokens). Default: such an answer fails the plan. A cut-off JSON answer (text_format) fails anyway: it cannot be parsed.'
            )
        },
        send="var.{name} ? true : null",
    ),
    "allow_content_filter": Input(
        type="bool",
        description='Accept an answer withheld by the content filter (finish_reason = "content_filter"). Default: it fails the plan. With response_format, a filtered answer that is not complete JSON fails anyway.',
        default="false",
        nullable=False,
        differs={
            "response": Differs(
                description='Accept an answer withheld by the content filter (status = "incomplete", reason content_filter). Default: it fails the plan. With a JSON text_format, a filtered answer that is not complete JSON fails anyway.'
            )
        },
        send="var.{name} ? true : null",
    ),
    "allow_refusal": Input(
        type="bool",
        description="Accept a refusal (read it from the refusal output). Default: a refusal fails the plan.",
        default="false",
        nullable=False,
        send="var.{name} ? true : null",
    ),
    "sensitive": Input(
        type="bool",
        description="Mark the answer outputs (content, parsed, choices, function_call, tool_calls, refusal) sensitive, so plans and outputs hide them, and keep answer text and prompts out of error messages. They are still stored in state in plain text.",
        default="false",
        nullable=False,
        send="var.{name} ? true : null",
        differs={
            "chat_completions": Differs(
                description="Mark the answers (the results and contents outputs) sensitive, so plans and outputs hide them, and keep answer text and prompts out of error messages. They are still stored in state in plain text."
            ),
            "response": Differs(
                description="Mark the answer outputs (output_text, parsed, refusal, function_calls, reasoning_summary, output) sensitive, so plans and outputs hide them, and keep answer text and prompts out of error messages. They are still stored in state in plain text."
            ),
            "stored_completion": Differs(
                description="Mark the answer and prompt outputs (choices, content, function_call, tool_calls, refusal, messages, completions) sensitive, so plans and outputs hide them. They are still stored in state in plain text.",
                send=None,
            ),
            "stored_response": Differs(
                description="Mark the answer and prompt outputs (output_text, parsed, refusal, function_calls, reasoning_summary, output, input_items) sensitive, so plans and outputs hide them. They are still stored in state in plain text.",
                send=None,
            ),
        },
    ),
    "python": Input(
        type="string",
        description='Python interpreter (3.10 or newer) that runs the helper; it needs no packages of its own unless python_packages = "interpreter". Default: python3, or python on Windows.',
        send=None,
    ),
    "python_packages": Input(
        type="string",
        description='Where the helper\'s packages come from. "provision": a private virtual environment that the helper makes on first use (uv, else venv and pip, honouring pip\'s configuration) with the versions pinned in helper/requirements.lock, and reuses afterwards. "interpreter": the python interpreter\'s own packages, installed by you. Default: CHAT_HELPER_PYTHON_PACKAGES from the environment, else "provision".',
        send=None,
    ),
    "python_env_dir": Input(
        type="string",
        description="Folder that holds the private environments (one per Python version and helper/requirements.lock). Default: CHAT_HELPER_PYTHON_ENV_DIR from the environment, else ~/.cache/terraform-openai-chat/python (XDG_CACHE_HOME is honoured).",
        send=None,
    ),
    "requests": Input(
        type="any",
        description="The requests, by a key you pick: each an object of chat_completion's request inputs and regenerate, each optional, written with chat_completion's types ("
        + ", ".join((*CHAT_REQUEST, "regenerate"))
        + "); one a key leaves null takes the block's input of the same name. A misspelt or mistyped input fails the plan naming the key. The outputs are keyed alike. Each request is cached exactly as chat_completion caches it.",
        default=REQUIRED,
        nullable=False,
        comment=(
            "Not an object type, on purpose: the helper checks every key's inputs, their names and their types"
            " (chat/inputs.py), and names a misspelt one, which an object type would drop without a word."
            " Converting a map of 200 requests to an object type also costs a plan more than the helper's call."
        ),
    ),
    "max_concurrency": Input(
        type="number",
        description="Your ceiling on requests in flight at once when keys need the API (1 to 256). Below it, concurrency adapts to the account's rate limits: it starts at 16, grows while answers report headroom, and halves on a 429 (docs/rate-limits.md). Cached keys cost no request. Default: 256.",
    ),
    "input": Input(type="string", description="The prompt, as one user message. Set input or input_items, not both."),
    "input_items": Input(
        type="any",
        description='The input as a list of items, oldest first (set input or input_items, not both): messages { role = "user", "assistant", "system" or "developer", content = a string or a list of parts { type = "input_text", text } / { type = "input_image", image_url or file_id, detail } / { type = "input_file", file_id, file_url or file_data, filename } } (an assistant\'s content is a string), function results { type = "function_call_output", call_id, output = a string }, and the calls they answer { type = "function_call", call_id, name, arguments } when there is no previous_response_id.',
    ),
    "instructions": Input(
        type="string",
        description="A system (developer) message for this request. It is not carried over by previous_response_id: a chained request says its own.",
    ),
    "hosted_tools": Input(
        type="any",
        description='Built-in tools, each sent exactly as written: { type = "web_search" }, { type = "file_search", vector_store_ids = [...] }, { type = "code_interpreter", container = { type = "auto" } }, { type = "image_generation" }, { type = "mcp", server_label, server_url, ... } and the other tool types of the Responses API; the keys each type requires are checked.',
    ),
    "max_tool_calls": Input(
        type="number",
        description="Most calls to built-in tools in one response (a positive whole number). API default: no limit. Needs tools or hosted_tools.",
    ),
    "text_format": Input(
        type=block(
            """
            object({
              type        = string
              name        = optional(string)
              description = optional(string)
              schema      = optional(string)
              strict      = optional(bool)
            })
            """
        ),
        description='The answer\'s format: { type = "text" }, { type = "json_object" }, or { type = "json_schema", name, schema = jsonencode(<JSON Schema object>), strict, description }. With a JSON format the answer is the parsed output, checked against the schema.',
    ),
    "reasoning_summary": Input(
        type="string",
        description="Reasoning models only: a summary of the model's reasoning in the reasoning_summary output, auto, concise or detailed. API default: none.",
    ),
    "max_output_tokens": Input(
        type="number",
        description="Most tokens to generate, reasoning tokens included: a whole number, 16 or more. API default: the model's limit.",
    ),
    "previous_response_id": Input(
        type="string",
        description="Continue the conversation of a stored response (for example module.first.id): the API brings its input and output, not its instructions. Changing it asks again.",
    ),
    "include": Input(
        type="list(string)",
        description="Extra output data, for example web_search_call.action.sources, file_search_call.results, code_interpreter_call.outputs, reasoning.encrypted_content or message.output_text.logprobs (read them from the output items' json).",
    ),
    "completion_id": Input(
        type="string",
        description="ID of a completion created with store = true (for example module.chat.id) to read with its metadata and messages. Leave null to list stored completions instead.",
    ),
    "order": Input(
        send=LIST_FILTER,
        type="string",
        description='List order by creation time: "asc" (oldest first) or "desc" (newest first). API default: asc.',
    ),
    "limit": Input(
        send=LIST_FILTER,
        type="number",
        description="Most stored completions to list, 1 to 1000; the helper follows the API's pages until it has them, and has_more says whether more match. Default: 100.",
    ),
    "response_id": Input(
        type="string",
        description="ID of a stored response (made with store = true, the API's default), for example module.answer.id, to read with its input items.",
        default=REQUIRED,
        nullable=False,
    ),
}

OUTPUTS: dict[str, Output] = {
    "id": Output(
        description="The completion's ID.",
        differs={
            "response": Differs(
                description="The response's ID: pass it to another block's previous_response_id, or to modules/stored_response."
            ),
            "stored_completion": Differs(description="The stored completion's ID."),
            "stored_response": Differs(description="The stored response's ID."),
        },
    ),
    "created": Output(description="Unix timestamp (seconds) of the completion's creation."),
    "model": Output(description="The model that answered."),
    "choices": Output(
        description="Every generated choice: { index, message = { role, content, function_call, tool_calls, refusal }, finish_reason, logprobs }.",
        value=SHOWN,
        differs={
            "stored_completion": Differs(
                description="Every generated choice: { index, message = { role, content, function_call, tool_calls, refusal }, finish_reason }."
            )
        },
    ),
    "content": Output(
        description="Content of the first choice's message (null when the model only called a function).", value=SHOWN
    ),
    "parsed": Output(
        description="With response_format json_object or json_schema: the first choice's answer parsed from JSON (checked against the schema), else null.",
        value=SHOWN,
        differs={
            "response": Differs(
                description="With text_format json_object or json_schema: the answer parsed from JSON (checked against the schema), else null."
            ),
            "stored_response": Differs(
                description="When the stored response asked for JSON (its text.format is json_object or json_schema): the answer decoded from JSON, or null when it is not JSON. Not checked against the schema again."
            ),
        },
    ),
    "finish_reason": Output(
        description="Why the first choice stopped: stop, length, function_call, tool_calls or content_filter."
    ),
    "function_call": Output(
        description="The first choice's function call as { name, arguments }, or null.", value=SHOWN
    ),
    "tool_calls": Output(
        description="The first choice's tool calls as a list of { id, type, name, arguments, arguments_decoded }, or null.",
        value=SHOWN,
    ),
    "refusal": Output(
        description="The model's refusal message for the first choice, or null.",
        value=SHOWN,
        differs={
            "response": Differs(description="The model's refusal (with allow_refusal = true), or null."),
            "stored_response": Differs(description="The model's refusal, or null."),
        },
    ),
    "usage": Output(
        description="Token counts: { prompt_tokens, completion_tokens, total_tokens }.",
        differs={
            "chat_completions": Differs(
                description="Token counts summed over every key's answer, cached or new: { prompt_tokens, completion_tokens, total_tokens }."
            ),
            "response": Differs(
                description="Token counts: { input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens }."
            ),
            "stored_response": Differs(
                description="Token counts: { input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens }, or null when the response has none (a failed one)."
            ),
        },
    ),
    "system_fingerprint": Output(description="The backend configuration that answered, or null."),
    "service_tier": Output(
        description="The service tier that served the request, or null.",
        differs={
            "response": Differs(
                description="The processing tier that served the request (default, flex, priority...); with flex_fallback, default when Flex had no capacity. Null when the API did not say."
            ),
            "stored_response": Differs(
                description="The processing tier that served the response (default, flex, priority...), or null when the API did not say."
            ),
        },
    ),
    "request_sha256": Output(
        description="SHA-256 of everything that identifies the request (the cache key); stable across plans."
    ),
    "results": Output(
        description="Every key's answer, keyed like requests: the outputs chat_completion has, { id, created, model, choices, content, parsed, finish_reason, function_call, tool_calls, refusal, usage, system_fingerprint, service_tier, request_sha256 }.",
        value=SHOWN,
    ),
    "contents": Output(
        description="Every key's answer text (the first choice's content; null where the model only called a tool), keyed like requests.",
        value="{ for key, result in local.shown.results : key => result.content }",
    ),
    "created_at": Output(description="Unix timestamp (seconds) of the response's creation."),
    "status": Output(
        description="completed, or incomplete when an allow_* input accepted a cut-off or filtered answer (every other status fails the plan).",
        differs={
            "stored_response": Differs(
                description="The stored response's status: completed, incomplete, failed, cancelled, queued or in_progress (a read-back reports it; no guardrail fails on it)."
            )
        },
    ),
    "output_text": Output(
        description='The text of every output_text part of every message, joined (as the SDK\'s output_text); "" when the model only called tools.',
        value=SHOWN,
        differs={
            "stored_response": Differs(
                description='The text of every output_text part of every message, joined (as the SDK\'s output_text); "" when there is none.'
            )
        },
    ),
    "function_calls": Output(
        description='The function tools the model called, in order: each { id, call_id, name, arguments, arguments_decoded }; send a result back as { type = "function_call_output", call_id, output } in input_items. Empty when it called none.',
        value=SHOWN,
        differs={
            "stored_response": Differs(
                description="The function tools the model called, in order: each { id, call_id, name, arguments, arguments_decoded }."
            )
        },
    ),
    "reasoning_summary": Output(
        description="The summaries of the model's reasoning (with reasoning_summary set), joined by blank lines, or null.",
        value=SHOWN,
        differs={
            "stored_response": Differs(
                description="The summaries of the model's reasoning, joined by blank lines, or null."
            )
        },
    ),
    "output": Output(
        description="The output items, in order, each { type, id, status, role, text, content = [{ type, text, refusal }], name, call_id, arguments, arguments_decoded, output, summary, json }: null where an item has nothing; json is the whole item (web search actions, annotations, images).",
        value=SHOWN,
        differs={
            "stored_response": Differs(
                description="The output items, in order, each { type, id, status, role, text, content = [{ type, text, refusal }], name, call_id, arguments, arguments_decoded, output, summary, json }: null where an item has nothing; json is the whole item."
            )
        },
    ),
    "incomplete_reason": Output(
        description="Why an accepted incomplete answer stopped (max_output_tokens or content_filter), or null.",
        differs={
            "stored_response": Differs(
                description="Why an incomplete response stopped (max_output_tokens or content_filter), or null."
            )
        },
    ),
    "metadata": Output(
        description="The metadata stored with the completion, a map of strings (empty when it has none).",
        value="jsondecode(local.result.metadata) == null ? null : tomap(jsondecode(local.result.metadata))",
        differs={
            "stored_response": Differs(
                description="The metadata stored with the response, a map of strings (empty when it has none).",
                value="tomap(jsondecode(local.result.metadata))",
            )
        },
    ),
    "messages": Output(
        description="The stored request messages, oldest first, every page: each { id, role, content, content_parts, name, tool_call_id, function_call, tool_calls }.",
        value=SHOWN,
    ),
    "completions": Output(
        description="The stored completions that match, in order: each { id, created, model, metadata, choices, content, finish_reason, function_call, tool_calls, refusal, usage, system_fingerprint, service_tier }.",
        value=SHOWN,
    ),
    "ids": Output(description="The IDs of the stored completions that match, in order."),
    "has_more": Output(description="Whether more stored completions match than limit let through."),
    "error": Output(description="A failed response's error as { code, message }, or null."),
    "input_items": Output(
        description="The response's own input items (not those of earlier responses in its chain), oldest first, every page: each in the shape of the output items, { type, id, status, role, text, content, name, call_id, arguments, arguments_decoded, output, summary, json }.",
        value=SHOWN,
    ),
}


@dataclass(frozen=True)
class Rule:
    """A rule the helper cannot check, in the data source's one precondition beside python's: why (a
    comment's clause), the HCL condition and the error message."""

    why: str
    condition: str
    message: str


@dataclass(frozen=True)
class Module:
    """One module: its inputs' and outputs' sections (title, names) and what only its main.tf says."""

    inputs_comment: str  # atop variables.tf
    inputs: tuple[tuple[str, tuple[str, ...]], ...]
    outputs: tuple[tuple[str, tuple[str, ...]], ...]  # the first section's title may be ""
    outputs_comment: str = ""  # atop outputs.tf
    about: str = ""  # a comment above the data source
    query_note: str = ""  # what the query comment adds for this module
    query_extra: tuple[tuple[str, str, str], ...] = ()  # (after which key, key, HCL expression): sent, not an input
    rule: Rule | None = None

    def input_names(self) -> tuple[str, ...]:
        return tuple(name for _, names in self.inputs for name in names)

    def output_names(self) -> tuple[str, ...]:
        return tuple(name for _, names in self.outputs for name in names)


AZURE_VERSION = 'can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$", var.azure_api_version))'
AZURE_WHY = "azure_api_version is sent only with azure_endpoint"

MODULES: dict[str, Module] = {
    "chat_completion": Module(
        inputs_comment=(
            "The inputs, grouped by what they decide. An input left null is not sent to the API, so the API's own"
            " default applies (each description says what it is). The helper checks the rules of every input at"
            " plan and names the input that breaks one (helper/chat_helper/chat/request_rules.py,"
            " core/settings.py): one owner for each rule, and no validation block, which would cost every module"
            " block of a configuration a graph node."
        ),
        inputs=(
            ("The request", ("model", "messages")),
            *CHAT_REQUEST_SECTIONS,
            (
                "Endpoint (not sent to the API)",
                (
                    *ENDPOINT,
                    "azure_endpoint",
                    "azure_deployment",
                    "azure_api_version",
                    "timeout_seconds",
                    "requests_per_minute",
                    "rate_limit_wait_seconds",
                ),
            ),
            *ANSWER_SECTIONS,
            PYTHON_SECTION,
        ),
        outputs=(
            (
                "",
                (
                    "id",
                    "created",
                    "model",
                    "choices",
                    "content",
                    "parsed",
                    "finish_reason",
                    "function_call",
                    "tool_calls",
                    "refusal",
                    "usage",
                    "system_fingerprint",
                    "service_tier",
                    "request_sha256",
                ),
            ),
        ),
        rule=Rule(AZURE_WHY, AZURE_VERSION, "azure_api_version must look like 2024-10-21 or 2025-04-01-preview."),
    ),
    "chat_completions": Module(
        inputs_comment=(
            "The inputs, grouped by what they decide. `requests` is the map of questions; every request input below"
            " it is the default of each key that leaves it null, and means what it means in modules/chat_completion."
            " An input left null everywhere is not sent, so the API's own default applies. The helper checks every"
            " rule at plan and names the key and the input that break one (helper/chat_helper/chat/inputs.py,"
            " chat/request_rules.py): no validation block here either."
        ),
        inputs=(
            ("The requests", ("requests", "max_concurrency")),
            ("The request defaults", ("model", "messages")),
            *CHAT_REQUEST_SECTIONS,
            (
                "Endpoint (not sent to the API)",
                (
                    *ENDPOINT,
                    "azure_endpoint",
                    "azure_deployment",
                    "azure_api_version",
                    "timeout_seconds",
                    "requests_per_minute",
                    "rate_limit_wait_seconds",
                ),
            ),
            *ANSWER_SECTIONS,
            PYTHON_SECTION,
        ),
        outputs=(("", ("results", "contents", "usage")),),
        query_note=(
            "requests goes as written: the helper ignores a key's nulls, and answers every key as chat_completion"
            " answers one request."
        ),
        rule=Rule(AZURE_WHY, AZURE_VERSION, "azure_api_version must look like 2024-10-21 or 2025-04-01-preview."),
    ),
    "response": Module(
        inputs_comment=(
            "The inputs, grouped by what they decide. An input left null is not sent to the API, so the API's own"
            " default applies (each description says what it is). The helper checks the rules of every input at"
            " plan and names the input that breaks one (helper/chat_helper/response/inputs.py,"
            " response/request_rules.py, core/settings.py): one owner for each rule, and no validation block, which"
            " would cost every module block of a configuration a graph node. input_items and hosted_tools are"
            " `any`: a list of objects of different shapes cannot be one list(object) type."
        ),
        inputs=(
            ("The request", ("model", "input", "input_items", "instructions")),
            ("Tools", ("tools", "hosted_tools", "tool_choice", "parallel_tool_calls", "max_tool_calls")),
            ("Format and reasoning", ("text_format", "verbosity", "reasoning_effort", "reasoning_summary")),
            ("Sampling and limits", ("max_output_tokens", "temperature", "top_p", "top_logprobs")),
            (
                "State and tracking",
                (
                    "previous_response_id",
                    "store",
                    "metadata",
                    "include",
                    "service_tier",
                    "safety_identifier",
                    "prompt_cache_key",
                    "prompt_cache_retention",
                ),
            ),
            (
                "Endpoint (not sent to the API)",
                (
                    *ENDPOINT,
                    "azure_endpoint",
                    "azure_api_version",
                    "timeout_seconds",
                    "requests_per_minute",
                    "rate_limit_wait_seconds",
                ),
            ),
            *ANSWER_SECTIONS,
            PYTHON_SECTION,
        ),
        outputs=(
            (
                "",
                (
                    "id",
                    "created_at",
                    "status",
                    "model",
                    "output_text",
                    "parsed",
                    "refusal",
                    "function_calls",
                    "reasoning_summary",
                    "output",
                    "incomplete_reason",
                    "usage",
                    "service_tier",
                    "request_sha256",
                ),
            ),
        ),
        outputs_comment=(
            "Each output decodes its key of the helper's result (every value is JSON). With sensitive = true the"
            " answer outputs are marked sensitive (a caller's root output that passes one on must say sensitive ="
            " true too); the id, status, model, usage and the cache key are not."
        ),
        query_note="The helper reshapes the inputs into the request the API wants. On Azure OpenAI the model names the deployment.",
        query_extra=(("azure_endpoint", "azure_deployment", "var.azure_endpoint == null ? null : var.model"),),
        rule=Rule(
            AZURE_WHY, AZURE_VERSION, "azure_api_version must look like 2025-04-01-preview or 2025-03-01-preview."
        ),
    ),
    "stored_completion": Module(
        inputs_comment=(
            "The inputs, grouped by what they decide. The helper checks the rules of every input at plan and names"
            " the input that breaks one (helper/chat_helper/stored/query.py, core/settings.py): one owner for each"
            " rule, and no validation block, which would cost every module block a graph node."
        ),
        inputs=(
            (
                "What to read: completion_id for one stored completion, else the list filters for a list",
                ("completion_id", "model", "metadata", "order", "limit"),
            ),
            ("Endpoint (the same settings as chat_completion)", (*ENDPOINT, "timeout_seconds")),
            ("Display", ("sensitive",)),
            PYTHON_SECTION,
        ),
        outputs=(
            (
                "",
                (
                    "id",
                    "created",
                    "model",
                    "choices",
                    "content",
                    "finish_reason",
                    "function_call",
                    "tool_calls",
                    "refusal",
                    "usage",
                    "system_fingerprint",
                    "service_tier",
                    "metadata",
                    "messages",
                ),
            ),
            ("Listing (completion_id null). All null when reading one completion.", ("completions", "ids", "has_more")),
        ),
        about="Read on every plan and never cached: the stored metadata can change, and the GETs cost nothing.",
        query_note="The operation picks one read or a list.",
        query_extra=(("flow", "operation", 'var.completion_id == null ? "list" : "retrieve"'),),
        rule=Rule(
            "the list filters are not sent with completion_id",
            "(var.completion_id == null || (var.model == null && var.metadata == null && var.order == null && var.limit == null))",
            "completion_id reads one stored completion; model, metadata, order and limit filter a list. Set completion_id or the list filters, not both.",
        ),
    ),
    "stored_response": Module(
        inputs_comment=(
            "The inputs, grouped by what they decide. The helper checks the rules of every input at plan and names"
            " the input that breaks one (helper/chat_helper/stored_response/query.py, core/settings.py): one owner"
            " for each rule, and no validation block, which would cost every module block a graph node."
        ),
        inputs=(
            ("What to read", ("response_id",)),
            ("Endpoint (the same settings as response)", (*ENDPOINT, "timeout_seconds")),
            ("Display", ("sensitive",)),
            PYTHON_SECTION,
        ),
        outputs=(
            (
                "",
                (
                    "id",
                    "created_at",
                    "status",
                    "model",
                    "output_text",
                    "parsed",
                    "refusal",
                    "function_calls",
                    "reasoning_summary",
                    "output",
                    "incomplete_reason",
                    "usage",
                    "service_tier",
                    "metadata",
                    "error",
                    "input_items",
                ),
            ),
        ),
        outputs_comment=(
            "Each output decodes its key of the helper's result (every value is JSON): modules/response's outputs, as"
            " the stored response has them, and what only a read-back has (metadata, error, input_items). With"
            " sensitive = true the answer and the prompt are marked sensitive."
        ),
        about="Read on every plan and never cached: a stored response can be deleted or expire, and the GETs cost nothing.",
    ),
}


def modules_with_input(name: str) -> tuple[str, ...]:
    """Which modules have an input."""
    return tuple(module for module, declared in MODULES.items() if name in declared.input_names())
