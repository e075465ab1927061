module "chat" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "user", content = "Name a planet." },
  ]
  n = 2
}

output "all" {
  value = {
    id                 = module.chat.id
    created            = module.chat.created
    model              = module.chat.model
    choices            = module.chat.choices
    content            = module.chat.content
    finish_reason      = module.chat.finish_reason
    function_call      = module.chat.function_call
    tool_calls         = module.chat.tool_calls
    refusal            = module.chat.refusal
    usage              = module.chat.usage
    system_fingerprint = module.chat.system_fingerprint
    service_tier       = module.chat.service_tier
    request_sha256     = module.chat.request_sha256
    parsed             = module.chat.parsed
  }
}
