data "external" "response" {
  # python3 (python on Windows, whose home folder is not an absolute POSIX path) runs the helper; a copy
  # of this folder alone (Terraform's second block of one absolute-path source) finds it first.
  program = concat(
    [coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")],
    fileexists("${path.module}/../../helper/main.py") ? ["${path.module}/../../helper/main.py"] : ["${path.module}/find_helper.py", "response"],
    ["--module=response"], # a failure comes back as the result's helper_error, for the postcondition below
    var.python_packages == null ? [] : ["--python-packages=${var.python_packages}"],
    var.python_env_dir == null ? [] : ["--python-env-dir=${var.python_env_dir}"],
  )

  # The external protocol carries strings only: every input travels JSON-encoded, and an input left
  # null is not sent at all. The flow key routes the query to the helper's response flow, which checks
  # every rule of every input it receives and reshapes them into the request the API wants. On Azure
  # OpenAI the model names the deployment.
  query = {
    for name, value in {
      flow                   = "response"
      model                  = var.model
      input                  = var.input
      input_items            = var.input_items
      instructions           = var.instructions
      tools                  = var.tools
      hosted_tools           = var.hosted_tools
      tool_choice            = var.tool_choice
      parallel_tool_calls    = var.parallel_tool_calls
      max_tool_calls         = var.max_tool_calls
      text_format            = var.text_format
      verbosity              = var.verbosity
      reasoning_effort       = var.reasoning_effort
      reasoning_summary      = var.reasoning_summary
      max_output_tokens      = var.max_output_tokens
      temperature            = var.temperature
      top_p                  = var.top_p
      top_logprobs           = var.top_logprobs
      previous_response_id   = var.previous_response_id
      store                  = var.store
      metadata               = var.metadata
      include                = var.include
      service_tier           = var.service_tier
      safety_identifier      = var.safety_identifier
      prompt_cache_key       = var.prompt_cache_key
      prompt_cache_retention = var.prompt_cache_retention
      base_url               = var.base_url
      organization           = var.organization
      project                = var.project
      azure_endpoint         = var.azure_endpoint
      azure_deployment       = var.azure_endpoint == null ? null : var.model
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
      error_message = try(length(trimspace(var.python)) == 0, false) ? "python must not be empty (leave it null for the default)." : "azure_api_version must look like 2025-04-01-preview or 2025-03-01-preview."
    }
    # The helper's failure, as its own line (hashicorp/external would wrap it under the program's lines).
    postcondition {
      condition     = !contains(keys(self.result), "helper_error")
      error_message = try(self.result["helper_error"], "")
    }
  }
}

locals {
  result = data.external.response.result
  answer = {
    output_text       = jsondecode(local.result.output_text)
    parsed            = jsondecode(local.result.parsed)
    refusal           = jsondecode(local.result.refusal)
    function_calls    = jsondecode(local.result.function_calls)
    reasoning_summary = jsondecode(local.result.reasoning_summary)
    output            = jsondecode(local.result.output)
  }
  # sensitive = true marks the answer; a conditional would mark it whenever either branch is, so the
  # view is picked from a [plain, sensitive] pair.
  shown = [local.answer, sensitive(local.answer)][var.sensitive ? 1 : 0]
}
