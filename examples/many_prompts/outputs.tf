output "descriptions" {
  description = "One description per service, keyed like local.services."
  value       = module.descriptions.contents
}

output "billing_model" {
  description = "The model that answered for billing."
  value       = module.descriptions.results["billing"].model
}

output "tokens_used" {
  description = "Tokens of every answer, summed."
  value       = module.descriptions.usage.total_tokens
}
