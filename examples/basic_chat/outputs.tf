output "assistant_response" {
  description = "The assistant's answer."
  value       = module.chat.content
}

output "usage" {
  description = "Tokens spent on the request."
  value       = module.chat.usage
}
