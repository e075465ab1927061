# A caller of the module, as a user's root module would be: it reports which outputs arrive sensitive.
variable "sensitive" {
  type = bool
}

module "stored" {
  source        = "../.."
  completion_id = "chatcmpl-abc123"
  sensitive     = var.sensitive
}

output "sensitive_outputs" {
  value = sort([for name, value in {
    id            = module.stored.id
    choices       = module.stored.choices
    content       = module.stored.content
    function_call = module.stored.function_call
    tool_calls    = module.stored.tool_calls
    refusal       = module.stored.refusal
    usage         = module.stored.usage
    metadata      = module.stored.metadata
    messages      = module.stored.messages
    completions   = module.stored.completions
    ids           = module.stored.ids
  } : name if issensitive(value)])
}
