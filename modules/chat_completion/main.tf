locals {
  # Windows has no python3 on PATH by default; its home directory is not an absolute POSIX path.
  python = coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")

  request = {
    model             = var.model
    messages          = var.messages
    functions         = var.functions
    function_call     = var.function_call
    temperature       = var.temperature
    max_tokens        = var.max_tokens
    top_p             = var.top_p
    n                 = var.n
    stop              = var.stop
    presence_penalty  = var.presence_penalty
    frequency_penalty = var.frequency_penalty
    user              = var.user
    store             = var.store
    metadata          = var.metadata
  }

  settings = {
    base_url        = var.base_url
    organization    = var.organization
    project         = var.project
    timeout_seconds = var.timeout_seconds
    cache_mode      = var.cache_mode
    cache_dir       = var.cache_dir
    regenerate      = var.regenerate
  }

  # The external protocol carries strings only: every input travels JSON-encoded, and an input
  # left null is not sent at all, so the API applies its own default.
  query = { for name, value in merge(local.request, local.settings) : name => jsonencode(value) if value != null }

  declared_function_names = var.functions == null ? [] : [for f in var.functions : f.name]
}

data "external" "chat_completion" {
  program = [local.python, "${path.module}/../../helper/main.py"]
  query   = local.query

  lifecycle {
    precondition {
      condition     = var.function_call == null ? true : contains(["none", "auto"], var.function_call) || contains(local.declared_function_names, var.function_call)
      error_message = "function_call names \"${coalesce(var.function_call, "-")}\", which is not one of the declared functions (${join(", ", local.declared_function_names)})."
    }
    precondition {
      condition     = var.function_call == null || var.functions != null
      error_message = "function_call is set, but no functions are declared."
    }
  }
}
