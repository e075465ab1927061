"""Root configurations: N `data "http"` POSTs, N root `data "external"` reads, or N instances of a
module, written in one of three forms. Every instance asks a different question."""

from collections.abc import Callable

BodyOf = Callable[[str], str]  # the body of one block, given the HCL expression of its question

FORMS = ("separate", "count", "for_each")
FORM_NAMES = {
    "separate": "N separate blocks",
    "count": "one block, count = N",
    "for_each": "one block, for_each over N",
}

QUESTION = '"Question {}"'
COUNT_QUESTION = '"Question ${count.index}"'

HTTP_PROVIDER = """terraform {
  required_providers {
    http = { source = "hashicorp/http" }
  }
}

variable "api_key" {
  type      = string
  sensitive = true
}
"""

HTTP_BODY = """  url    = "{base_url}/chat/completions"
  method = "POST"
  request_headers = {{
    Authorization  = "Bearer ${{var.api_key}}"
    "Content-Type" = "application/json"
  }}
  request_body = jsonencode({{
    model    = "gpt-4o"
    messages = [{{ role = "user", content = {question} }}]
  }})
"""

EXTERNAL_BODY = """  program = ["{program}", "unused"]
  query   = {{ model = "gpt-4o", content = {question} }}
"""

MODULE_BODY = """  source   = "{source}"
  model    = "gpt-4o"
  messages = [{{ role = "user", content = {question} }}]
"""


def http_config(form: str, count: int, base_url: str) -> str:
    return (
        HTTP_PROVIDER
        + "\n"
        + _instances(form, count, 'data "http"', lambda q: HTTP_BODY.format(base_url=base_url, question=q))
    )


def external_config(form: str, count: int, program: str) -> str:
    return _instances(form, count, 'data "external"', lambda q: EXTERNAL_BODY.format(program=program, question=q))


def module_config(form: str, count: int, source: str, **inputs: str | None) -> str:
    """Instances of the module at source; inputs are more string arguments (None: left out)."""
    extra = "".join(f'  {name} = "{value}"\n' for name, value in inputs.items() if value is not None)
    return _instances(form, count, "module", lambda q: MODULE_BODY.format(source=source, question=q) + extra)


def _instances(form: str, count: int, block: str, body: BodyOf) -> str:
    if form == "separate":
        return "\n".join(f'{block} "chat_{index}" {{\n{body(QUESTION.format(index))}}}\n' for index in range(count))
    if form == "count":
        return f'{block} "chat" {{\n  count = {count}\n{body(COUNT_QUESTION)}}}\n'
    if form == "for_each":
        each = f'toset([for index in range({count}) : "Question ${{index}}"])'
        return f'{block} "chat" {{\n  for_each = {each}\n{body("each.key")}}}\n'
    raise ValueError(f"unknown form {form!r}; one of {', '.join(FORMS)}")


MANY_MODULE = """module "many" {{
  source = "{source}"
  model  = "gpt-4o"
{extra}  requests = {{
    for index in range({count}) : "q${{index}}" => {{
      messages = [{{ role = "user", content = "Question ${{index}}" }}]
    }}
  }}
}}
"""


def many_config(count: int, source: str, max_concurrency: int | None = None) -> str:
    """One modules/chat_completions block asking the same N questions as N separate blocks would."""
    extra = "" if max_concurrency is None else f"  max_concurrency = {max_concurrency}\n"
    return MANY_MODULE.format(source=source, count=count, extra=extra)
