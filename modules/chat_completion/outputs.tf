locals {
  # The helper answers with JSON in every value; this turns them back into Terraform types.
  result = { for name, value in data.external.chat_completion.result : name => jsondecode(value) }
}

output "id" {
  description = "The completion's ID."
  value       = local.result.id
}

output "created" {
  description = "Unix timestamp (seconds) of the completion's creation."
  value       = local.result.created
}

output "model" {
  description = "The model that answered."
  value       = local.result.model
}

output "choices" {
  description = "Every generated choice: { index, message = { role, content, function_call, tool_calls, refusal }, finish_reason }."
  value       = local.result.choices
}

output "content" {
  description = "Content of the first choice's message (null when the model only called a function)."
  value       = local.result.content
}

output "finish_reason" {
  description = "Why the first choice stopped: stop, length, function_call, tool_calls or content_filter."
  value       = local.result.finish_reason
}

output "function_call" {
  description = "The first choice's function call as { name, arguments }, or null."
  value       = local.result.function_call
}

output "tool_calls" {
  description = "The first choice's tool calls as a list of { id, type, name, arguments, arguments_decoded }, or null."
  value       = local.result.tool_calls
}

output "refusal" {
  description = "The model's refusal message for the first choice, or null."
  value       = local.result.refusal
}

output "usage" {
  description = "Token counts: { prompt_tokens, completion_tokens, total_tokens }."
  value       = local.result.usage
}

output "system_fingerprint" {
  description = "The backend configuration that answered, or null."
  value       = local.result.system_fingerprint
}

output "service_tier" {
  description = "The service tier that served the request, or null."
  value       = local.result.service_tier
}

output "request_sha256" {
  description = "SHA-256 of everything that identifies the request (the cache key); stable across plans."
  value       = local.result.request_sha256
}
