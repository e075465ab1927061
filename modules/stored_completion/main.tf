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

  operation = var.completion_id == null ? "list" : "retrieve"

  list_filters = {
    model    = var.model
    metadata = var.metadata
    order    = var.order
    limit    = var.limit
  }

  read = merge(
    { operation = local.operation, completion_id = var.completion_id },
    { for name, value in local.list_filters : name => value if local.operation == "list" },
  )

  settings = {
    base_url        = var.base_url
    organization    = var.organization
    project         = var.project
    timeout_seconds = var.timeout_seconds
  }

  # The external protocol carries strings only: every input travels JSON-encoded, and an input
  # left null is not sent at all. The flow key routes the query to the helper's stored-completion flow.
  query = { for name, value in merge({ flow = "stored_completion" }, local.read, local.settings) : name => jsonencode(value) if value != null }
}

# Read on every plan and never cached: the stored metadata can change, and the GETs cost nothing.
data "external" "stored_completion" {
  program = concat(
    [local.python, coalesce(local.helper_main, "${path.module}/../../helper/main.py")],
    var.python_packages == null ? [] : ["--python-packages=${var.python_packages}"],
    var.python_env_dir == null ? [] : ["--python-env-dir=${var.python_env_dir}"],
  )
  query = local.query

  lifecycle {
    precondition {
      condition     = local.helper_main != null
      error_message = "stored_completion cannot find its helper: there is no helper/main.py two folders above ${path.module}. Point source at the module inside the whole repository (a relative or absolute path to <checkout>/modules/stored_completion, or a git URL or archive ending //modules/stored_completion), not at a copy of the module folder alone."
    }
    precondition {
      condition     = var.completion_id == null || (var.model == null && var.metadata == null && var.order == null && var.limit == null)
      error_message = "completion_id reads one stored completion; model, metadata, order and limit filter a list. Set completion_id or the list filters, not both."
    }
  }
}
