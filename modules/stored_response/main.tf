# Read on every plan and never cached: a stored response can be deleted or expire, and the GETs cost nothing.
data "external" "stored_response" {
  # python3 (python on Windows, whose home folder is not an absolute POSIX path) runs the helper; a copy
  # of this folder alone (Terraform's second block of one absolute-path source) finds it first.
  program = concat(
    [coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")],
    fileexists("${path.module}/../../helper/main.py") ? ["${path.module}/../../helper/main.py"] : ["${path.module}/find_helper.py", "stored_response"],
    ["--module=stored_response"], # a failure comes back as the result's helper_error, for the postcondition below
    var.python_packages == null ? [] : ["--python-packages=${var.python_packages}"],
    var.python_env_dir == null ? [] : ["--python-env-dir=${var.python_env_dir}"],
  )

  # The external protocol carries strings only: every input travels JSON-encoded, and an input left
  # null is not sent at all. The flow key routes the query to the helper's stored_response flow, which
  # checks every rule of every input it receives.
  query = {
    for name, value in {
      flow            = "stored_response"
      response_id     = var.response_id
      base_url        = var.base_url
      organization    = var.organization
      project         = var.project
      timeout_seconds = var.timeout_seconds
    } : name => jsonencode(value) if value != null
  }

  lifecycle {
    # The rule the helper cannot check: python is the program itself.
    precondition {
      condition     = var.python == null || try(length(trimspace(var.python)) > 0, false)
      error_message = "python must not be empty (leave it null for the default)."
    }
    # The helper's failure, as its own line (hashicorp/external would wrap it under the program's lines).
    postcondition {
      condition     = !contains(keys(self.result), "helper_error")
      error_message = try(self.result["helper_error"], "")
    }
  }
}

locals {
  result = data.external.stored_response.result
  answer = {
    output_text       = jsondecode(local.result.output_text)
    parsed            = jsondecode(local.result.parsed)
    refusal           = jsondecode(local.result.refusal)
    function_calls    = jsondecode(local.result.function_calls)
    reasoning_summary = jsondecode(local.result.reasoning_summary)
    output            = jsondecode(local.result.output)
    input_items       = jsondecode(local.result.input_items)
  }
  # sensitive = true marks the answer and the prompt; a conditional would mark them whenever either
  # branch is, so the view is picked from a [plain, sensitive] pair.
  shown = [local.answer, sensitive(local.answer)][var.sensitive ? 1 : 0]
}
