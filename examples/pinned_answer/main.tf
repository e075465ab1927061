variable "regenerate" {
  type        = string
  description = "Change to ask for a new answer; the pinned answer follows."
  default     = "1"
}

module "runbook" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "system", content = "You write short operational runbooks." },
    { role = "user", content = "Three steps to rotate a TLS certificate behind a load balancer." },
  ]
  regenerate = var.regenerate
  # Commit this folder to share answers: teammates and CI then plan with zero API calls.
  cache_dir = "chat-cache"
}

# The request's identity: it changes when the prompt, a parameter or `regenerate` changes.
resource "terraform_data" "request" {
  input = module.runbook.request_sha256
}

# The answer, pinned in state. A teammate whose machine lacks the cache (and so gets a fresh,
# different answer from the API) still plans "No changes"; a changed request replaces the pin.
resource "terraform_data" "answer" {
  input = {
    id      = module.runbook.id
    content = module.runbook.content
  }

  lifecycle {
    ignore_changes       = [input]
    replace_triggered_by = [terraform_data.request]
  }
}
