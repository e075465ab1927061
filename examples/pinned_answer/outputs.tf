output "runbook" {
  description = "The pinned answer: stable across machines until the request changes."
  value       = terraform_data.answer.output.content
}

output "completion_id" {
  description = "The pinned answer's completion ID."
  value       = terraform_data.answer.output.id
}
