# A caller of the module, as a user's root module would be: it reports which outputs arrive sensitive.
variable "sensitive" {
  type = bool
}

module "answer" {
  source    = "../.."
  model     = "gpt-4o"
  input     = "hi"
  sensitive = var.sensitive
}

output "sensitive_outputs" {
  value = sort([for name, value in {
    id                = module.answer.id
    created_at        = module.answer.created_at
    status            = module.answer.status
    model             = module.answer.model
    output_text       = module.answer.output_text
    parsed            = module.answer.parsed
    refusal           = module.answer.refusal
    function_calls    = module.answer.function_calls
    reasoning_summary = module.answer.reasoning_summary
    output            = module.answer.output
    incomplete_reason = module.answer.incomplete_reason
    usage             = module.answer.usage
    request_sha256    = module.answer.request_sha256
  } : name if issensitive(value)])
}
