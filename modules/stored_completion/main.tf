locals {
  # Windows has no python3 on PATH by default; its home directory is not an absolute POSIX path.
  python = coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")

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
  program = [local.python, "${path.module}/../../helper/main.py"]
  query   = local.query

  lifecycle {
    precondition {
      condition     = var.completion_id == null || (var.model == null && var.metadata == null && var.order == null && var.limit == null)
      error_message = "completion_id reads one stored completion; model, metadata, order and limit filter a list. Set completion_id or the list filters, not both."
    }
  }
}
