output "policy" {
  description = "The answer parsed from JSON, already checked against the schema."
  value       = module.policy.parsed
}

output "first_effect" {
  description = "A field of the answer, used as an ordinary Terraform value."
  value       = module.policy.parsed.statements[0].effect
}
