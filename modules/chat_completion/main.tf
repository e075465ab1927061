data "external" "chat_completion" {
  # python3 (python on Windows, whose home folder is not an absolute POSIX path) runs the helper; a copy
  # of this folder alone (Terraform's second block of one absolute-path source) finds it first.
  program = concat(
    [coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")],
    fileexists("${path.module}/../../helper/main.py") ? ["${path.module}/../../helper/main.py"] : ["${path.module}/find_helper.py", "chat_completion"],
    ["--module=chat_completion"], # a failure comes back as the result's helper_error, for the postcondition below
    var.python_packages == null ? [] : ["--python-packages=${var.python_packages}"],
    var.python_env_dir == null ? [] : ["--python-env-dir=${var.python_env_dir}"],
  )

  # The external protocol carries strings only: every input travels JSON-encoded, and an input left
  # null is not sent at all. The flow key routes the query to the helper's chat_completion flow,
  # which checks every rule of every input it receives.
  query = {
    for name, value in {
      flow                   = "chat_completion"
      model                  = var.model
      messages               = var.messages
      tools                  = var.tools
      tool_choice            = var.tool_choice
      parallel_tool_calls    = var.parallel_tool_calls
      functions              = var.functions
      function_call          = var.function_call
      response_format        = var.response_format
      temperature            = var.temperature
      top_p                  = var.top_p
      n                      = var.n
      stop                   = var.stop
      max_tokens             = var.max_tokens
      max_completion_tokens  = var.max_completion_tokens
      presence_penalty       = var.presence_penalty
      frequency_penalty      = var.frequency_penalty
      logit_bias             = var.logit_bias
      logprobs               = var.logprobs
      top_logprobs           = var.top_logprobs
      seed                   = var.seed
      reasoning_effort       = var.reasoning_effort
      verbosity              = var.verbosity
      service_tier           = var.service_tier
      user                   = var.user
      safety_identifier      = var.safety_identifier
      prompt_cache_key       = var.prompt_cache_key
      prompt_cache_retention = var.prompt_cache_retention
      store                  = var.store
      metadata               = var.metadata
      base_url               = var.base_url
      organization           = var.organization
      project                = var.project
      azure_endpoint         = var.azure_endpoint
      azure_deployment       = var.azure_deployment
      azure_api_version      = var.azure_endpoint == null ? null : var.azure_api_version
      timeout_seconds        = var.timeout_seconds
      requests_per_minute    = var.requests_per_minute
      cache_mode             = var.cache_mode
      cache_dir              = var.cache_dir
      cache_url              = var.cache_url
      regenerate             = var.regenerate
      max_requests_per_run   = var.max_requests_per_run
      max_tokens_per_run     = var.max_tokens_per_run
      flex_fallback          = var.flex_fallback ? true : null
      allow_length_cutoff    = var.allow_length_cutoff ? true : null
      allow_content_filter   = var.allow_content_filter ? true : null
      allow_refusal          = var.allow_refusal ? true : null
      sensitive              = var.sensitive ? true : null

      # Waiting for turns under the account's rate limits, apart from timeout_seconds (answers/pacing.py).
      rate_limit_wait_seconds = var.rate_limit_wait_seconds
    } : name => jsonencode(value) if value != null
  }

  lifecycle {
    # The rules the helper cannot check: python is the program itself, and azure_api_version is sent
    # only with azure_endpoint. One precondition for both: each one costs every module block.
    precondition {
      condition     = (var.python == null || try(length(trimspace(var.python)) > 0, false)) && can(regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$", var.azure_api_version))
      error_message = try(length(trimspace(var.python)) == 0, false) ? "python must not be empty (leave it null for the default)." : "azure_api_version must look like 2024-10-21 or 2025-04-01-preview."
    }
    # The helper's failure, as its own line (hashicorp/external would wrap it under the program's lines).
    postcondition {
      condition     = !contains(keys(self.result), "helper_error")
      error_message = try(self.result["helper_error"], "")
    }
  }
}

locals {
  # The helper's result, read once: every reference to the data source decodes its whole object. Each
  # output decodes its own key (every value is JSON); the answer outputs are decoded together, to be marked
  # sensitive at once when sensitive = true. A conditional would mark them whenever either branch is,
  # so the view is picked from a [plain, sensitive] pair.
  result  = data.external.chat_completion.result
  decoded = { for name in ["choices", "content", "parsed", "function_call", "tool_calls", "refusal"] : name => jsondecode(local.result[name]) }
  shown   = [local.decoded, sensitive(local.decoded)][var.sensitive ? 1 : 0]
}
