# A caller of the module, as a user's root module would be: it reports which outputs arrive sensitive.
variable "sensitive" {
  type = bool
}

module "chat" {
  source    = "../.."
  model     = "gpt-4o"
  messages  = [{ role = "user", content = "hi" }]
  sensitive = var.sensitive
}

output "sensitive_outputs" {
  value = sort([for name, value in {
    choices       = module.chat.choices
    content       = module.chat.content
    parsed        = module.chat.parsed
    function_call = module.chat.function_call
    tool_calls    = module.chat.tool_calls
    refusal       = module.chat.refusal
    usage         = module.chat.usage
    id            = module.chat.id
  } : name if issensitive(value)])
}
