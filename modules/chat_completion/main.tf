locals {
  # Windows has no python3 on PATH by default; its home directory is not an absolute POSIX path.
  python = coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")

  # The helper is the repository's helper/ folder, two levels above this module. A second module
  # block with the same absolute-path source is installed as a copy of this folder alone, whose
  # original is recorded in modules.json. try() stops at the first candidate that exists.
  helper_main = try(
    [for beside in ["${path.module}/../../helper/main.py"] : beside if fileexists(beside)][0],
    [
      for installed in jsondecode(file("${path.root}/.terraform/modules/modules.json")).Modules :
      "${trimprefix(installed.Source, "file://")}/../../helper/main.py"
      if installed.Dir == path.module && fileexists("${trimprefix(installed.Source, "file://")}/../../helper/main.py")
    ][0],
    null,
  )

  request = {
    model                 = var.model
    messages              = var.messages
    functions             = var.functions
    function_call         = var.function_call
    tools                 = var.tools
    tool_choice           = var.tool_choice
    parallel_tool_calls   = var.parallel_tool_calls
    response_format       = var.response_format
    temperature           = var.temperature
    max_tokens            = var.max_tokens
    max_completion_tokens = var.max_completion_tokens
    top_p                 = var.top_p
    n                     = var.n
    stop                  = var.stop
    presence_penalty      = var.presence_penalty
    frequency_penalty     = var.frequency_penalty
    logit_bias            = var.logit_bias
    logprobs              = var.logprobs
    top_logprobs          = var.top_logprobs
    seed                  = var.seed
    user                  = var.user
    safety_identifier     = var.safety_identifier
    prompt_cache_key      = var.prompt_cache_key
    store                 = var.store
    metadata              = var.metadata
    reasoning_effort      = var.reasoning_effort
    service_tier          = var.service_tier
    verbosity             = var.verbosity
  }

  settings = {
    base_url             = var.base_url
    organization         = var.organization
    project              = var.project
    azure_endpoint       = var.azure_endpoint
    azure_deployment     = var.azure_deployment
    azure_api_version    = var.azure_endpoint == null ? null : var.azure_api_version
    timeout_seconds      = var.timeout_seconds
    requests_per_minute  = var.requests_per_minute
    cache_mode           = var.cache_mode
    cache_dir            = var.cache_dir
    cache_url            = var.cache_url
    regenerate           = var.regenerate
    allow_length_cutoff  = var.allow_length_cutoff ? true : null
    allow_content_filter = var.allow_content_filter ? true : null
    allow_refusal        = var.allow_refusal ? true : null
    sensitive            = var.sensitive ? true : null
  }

  # The external protocol carries strings only: every input travels JSON-encoded, and an input
  # left null is not sent at all, so the API applies its own default.
  query = { for name, value in merge({ flow = "chat_completion" }, local.request, local.settings) : name => jsonencode(value) if value != null }

  declared_function_names = var.functions == null ? [] : [for f in var.functions : f.name]
  declared_tool_names     = var.tools == null ? [] : [for t in var.tools : t.name]
}

data "external" "chat_completion" {
  program = concat(
    [local.python, coalesce(local.helper_main, "${path.module}/../../helper/main.py")],
    var.python_packages == null ? [] : ["--python-packages=${var.python_packages}"],
    var.python_env_dir == null ? [] : ["--python-env-dir=${var.python_env_dir}"],
  )
  query = local.query

  lifecycle {
    precondition {
      condition     = local.helper_main != null
      error_message = "chat_completion cannot find its helper: there is no helper/main.py two folders above ${path.module}. Point source at the module inside the whole repository (a relative or absolute path to <checkout>/modules/chat_completion, or a git URL or archive ending //modules/chat_completion), not at a copy of the module folder alone."
    }
    precondition {
      condition     = var.function_call == null ? true : contains(["none", "auto"], var.function_call) || contains(local.declared_function_names, var.function_call)
      error_message = "function_call names \"${coalesce(var.function_call, "-")}\", which is not one of the declared functions (${join(", ", local.declared_function_names)})."
    }
    precondition {
      condition     = var.function_call == null || var.functions != null
      error_message = "function_call is set, but no functions are declared."
    }
    precondition {
      condition     = var.tool_choice == null ? true : contains(["none", "auto", "required"], var.tool_choice) || contains(local.declared_tool_names, var.tool_choice)
      error_message = "tool_choice names \"${coalesce(var.tool_choice, "-")}\", which is not one of the declared tools (${join(", ", local.declared_tool_names)})."
    }
    precondition {
      condition     = (var.tool_choice == null && var.parallel_tool_calls == null) || var.tools != null
      error_message = "tool_choice and parallel_tool_calls need tools to be declared."
    }
    precondition {
      condition     = var.functions == null || var.tools == null
      error_message = "functions cannot be combined with tools (functions are the deprecated form of tools): use one."
    }
    precondition {
      condition     = var.max_tokens == null || var.max_completion_tokens == null
      error_message = "max_tokens cannot be combined with max_completion_tokens: set one (reasoning models accept only max_completion_tokens)."
    }
    precondition {
      condition     = var.top_logprobs == null || var.logprobs == true
      error_message = "top_logprobs needs logprobs = true."
    }
    precondition {
      condition     = (var.azure_endpoint == null) == (var.azure_deployment == null)
      error_message = "Azure OpenAI needs azure_endpoint and azure_deployment together."
    }
    precondition {
      condition     = var.azure_endpoint == null || (var.base_url == null && var.organization == null && var.project == null)
      error_message = "base_url, organization and project are OpenAI settings and cannot be combined with azure_endpoint."
    }
  }
}
