locals {
  # The helper's result, read once: every reference to the data source decodes its whole object.
  result = data.external.stored_completion.result

  # Run instead of helper/main.py by a copy of this folder alone (Terraform's second module block of
  # one absolute-path source): these lines find the original in modules.json, then run its
  # helper/main.py as if it had been started itself. In Python because HCL would read modules.json
  # once per module block. modules/chat_completion runs the same lines.
  find_helper = <<-PYTHON
    import os, sys
    module, name = sys.argv[1], sys.argv[2]
    sys.path[0] = os.path.abspath(module)  # not the root module's folder, where a json.py would shadow the standard one
    import json
    main = ""
    try:
        with open(os.path.join(os.environ.get("TF_DATA_DIR") or ".terraform", "modules", "modules.json")) as f:
            found = [m["Source"] for m in json.load(f)["Modules"] if os.path.normpath(m["Dir"]) == os.path.normpath(module)]
        main = os.path.abspath(os.path.join(found[0].replace("file://", "", 1), "..", "..", "helper", "main.py"))
    except (OSError, ValueError, LookupError, AttributeError, TypeError):
        pass
    if not os.path.isfile(main):
        sys.exit(
            name + " cannot find its helper: there is no helper/main.py two folders above " + module + ". Point source"
            " at the module inside the whole repository (a relative or absolute path to <checkout>/modules/" + name
            + ", or a git URL or archive ending //modules/" + name + "), not at a copy of the module folder alone."
        )
    sys.argv[:] = [main] + sys.argv[3:]
    sys.path[0] = os.path.dirname(main)
    with open(main, "rb") as f:
        exec(compile(f.read(), main, "exec"), {"__name__": "__main__", "__file__": main})
  PYTHON
}

# Read on every plan and never cached: the stored metadata can change, and the GETs cost nothing.
data "external" "stored_completion" {
  # python3 (python on Windows, whose home folder is not an absolute POSIX path) runs the helper.
  program = concat(
    [coalesce(var.python, try(startswith(pathexpand("~"), "/"), true) ? "python3" : "python")],
    fileexists("${path.module}/../../helper/main.py") ? ["${path.module}/../../helper/main.py"] : ["-c", local.find_helper, path.module, "stored_completion"],
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
  }
}
