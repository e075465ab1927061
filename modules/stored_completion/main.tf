# Read on every plan and never cached: the stored metadata can change, and the GETs cost nothing.
data "external" "stored_completion" {
  # python3 (python on Windows, whose home folder is not an absolute POSIX path) runs the helper; a copy
  # of this folder alone (Terraform's second block of one absolute-path source) finds it first.
  program = concat(
    [coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")],
    fileexists("${path.module}/../../helper/main.py") ? ["${path.module}/../../helper/main.py"] : ["${path.module}/find_helper.py", "stored_completion"],
    ["--module=stored_completion"], # a failure comes back as the result's helper_error, for the postcondition below
    var.python_packages == null ? [] : ["--python-packages=${var.python_packages}"],
    var.python_env_dir == null ? [] : ["--python-env-dir=${var.python_env_dir}"],
  )

  # The external protocol carries strings only: every input travels JSON-encoded, and an input left
  # null is not sent at all. The flow key routes the query to the helper's stored_completion flow,
  # which checks every rule of every input it receives; the operation picks one read or a list.
  query = {
    for name, value in {
      flow            = "stored_completion"
      operation       = var.completion_id == null ? "list" : "retrieve"
      completion_id   = var.completion_id
      model           = var.completion_id == null ? var.model : null
      metadata        = var.completion_id == null ? var.metadata : null
      order           = var.completion_id == null ? var.order : null
      limit           = var.completion_id == null ? var.limit : null
      base_url        = var.base_url
      organization    = var.organization
      project         = var.project
      timeout_seconds = var.timeout_seconds
    } : name => jsonencode(value) if value != null
  }

  lifecycle {
    # What the helper cannot see: python is the program itself, and the list filters are not sent
    # with completion_id. One precondition for both: each one costs every module block.
    precondition {
      condition     = (var.python == null || try(length(trimspace(var.python)) > 0, false)) && (var.completion_id == null || (var.model == null && var.metadata == null && var.order == null && var.limit == null))
      error_message = try(length(trimspace(var.python)) == 0, false) ? "python must not be empty (leave it null for the default)." : "completion_id reads one stored completion; model, metadata, order and limit filter a list. Set completion_id or the list filters, not both."
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
  # output decodes its own key (every value is JSON); the answers and prompts are decoded together, to be marked
  # sensitive at once when sensitive = true. A conditional would mark them whenever either branch is,
  # so the view is picked from a [plain, sensitive] pair.
  result  = data.external.stored_completion.result
  decoded = { for name in ["choices", "content", "function_call", "tool_calls", "refusal", "messages", "completions"] : name => jsondecode(local.result[name]) }
  shown   = [local.decoded, sensitive(local.decoded)][var.sensitive ? 1 : 0]
}
