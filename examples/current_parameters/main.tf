module "runbook" {
  source = "../../modules/chat_completion"
  model  = "gpt-5-mini"
  messages = [
    { role = "developer", content = "Answer as a numbered runbook." },
    { role = "user", content = "Rotate the database credentials." },
  ]
  # Reasoning models take max_completion_tokens (reasoning included), not max_tokens.
  max_completion_tokens = 2000
  reasoning_effort      = "low"
  verbosity             = "low"
  seed                  = 42
  service_tier          = "flex"
  safety_identifier     = sha256("team-platform")
  prompt_cache_key      = "runbooks-v1"

  # A runbook cut short is worse than none: keep the default, so a cut-off answer fails the plan
  # (allow_length_cutoff = false). The answer may name internal systems: hide it in plans.
  sensitive = true
}
