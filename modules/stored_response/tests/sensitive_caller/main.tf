# A caller of the module, as a user's root module would be: it reports which outputs arrive sensitive.
variable "sensitive" {
  type = bool
}

module "stored" {
  source      = "../.."
  response_id = "resp_mock"
  sensitive   = var.sensitive
}

output "sensitive_outputs" {
  value = sort([for name, value in {
    id                = module.stored.id
    created_at        = module.stored.created_at
    status            = module.stored.status
    model             = module.stored.model
    output_text       = module.stored.output_text
    parsed            = module.stored.parsed
    refusal           = module.stored.refusal
    function_calls    = module.stored.function_calls
    reasoning_summary = module.stored.reasoning_summary
    output            = module.stored.output
    incomplete_reason = module.stored.incomplete_reason
    usage             = module.stored.usage
    metadata          = module.stored.metadata
    error             = module.stored.error
    input_items       = module.stored.input_items
  } : name if issensitive(value)])
}
