output "capital" {
  description = "The answer, parsed from JSON and checked against the schema."
  value       = module.capital.parsed
}

output "city" {
  description = "One field of it, as an ordinary Terraform string."
  value       = module.capital.parsed.city
}
