output "completion_id" {
  description = "The ID the completion was stored under."
  value       = module.chat.id
}

output "stored_answer" {
  description = "The answer, read back from the stored completion."
  value       = module.stored.content
}

output "stored_metadata" {
  description = "The metadata stored with it."
  value       = module.stored.metadata
}

output "stored_prompt" {
  description = "The request messages stored with it, as role: content."
  value       = [for message in module.stored.messages : "${message.role}: ${message.content}"]
}

output "geography_ids" {
  description = "Every stored completion tagged category = geography by this example, newest first."
  value       = module.geography.ids
}
