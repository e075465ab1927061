output "answer" {
  description = "The assistant's answer to the last question."
  value       = module.conversation.content
}

output "finish_reason" {
  description = "Why the answer stopped."
  value       = module.conversation.finish_reason
}
