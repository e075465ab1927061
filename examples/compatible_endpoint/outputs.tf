output "answer" {
  description = "The local model's answer."
  value       = module.local_model.content
}

output "served_by" {
  description = "The model the server says answered."
  value       = module.local_model.model
}
