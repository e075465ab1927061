output "completion_id" {
  description = "The stored completion's ID; list stored completions by metadata category = geography."
  value       = module.tagged_chat.id
}

output "answer" {
  description = "The answer."
  value       = module.tagged_chat.content
}
