output "completion_id" {
  description = "The stored completion's ID, to read it back later."
  value       = module.stored_chat.id
}

output "haiku" {
  description = "The answer."
  value       = module.stored_chat.content
}
