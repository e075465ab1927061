output "answer" {
  description = "The answer's text."
  value       = module.answer.output_text
}

output "response_id" {
  description = "The response's ID (stored by default: another block can chain to it)."
  value       = module.answer.id
}

output "usage" {
  description = "Token counts: { input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens }."
  value       = module.answer.usage
}
