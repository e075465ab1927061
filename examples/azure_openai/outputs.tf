output "description" {
  description = "The deployment's answer."
  value       = module.azure_chat.content
}

output "deployment_model" {
  description = "The model behind the deployment, as Azure reports it."
  value       = module.azure_chat.model
}
