output "id" {
  description = "The completion's ID."
  value       = jsondecode(local.result.id)
}

output "created" {
  description = "Unix timestamp (seconds) of the completion's creation."
  value       = jsondecode(local.result.created)
}

output "model" {
  description = "The model that answered."
  value       = jsondecode(local.result.model)
}

output "choices" {
  description = "Every generated choice: { index, message = { role, content, function_call, tool_calls, refusal }, finish_reason, logprobs }."
  value       = local.shown.choices
}

output "content" {
  description = "Content of the first choice's message (null when the model only called a function)."
  value       = local.shown.content
}

output "parsed" {
  description = "With response_format json_object or json_schema: the first choice's answer parsed from JSON (checked against the schema), else null."
  value       = local.shown.parsed
}

output "finish_reason" {
  description = "Why the first choice stopped: stop, length, function_call, tool_calls or content_filter."
  value       = jsondecode(local.result.finish_reason)
}

output "function_call" {
  description = "The first choice's function call as { name, arguments }, or null."
  value       = local.shown.function_call
}

output "tool_calls" {
  description = "The first choice's tool calls as a list of { id, type, name, arguments, arguments_decoded }, or null."
  value       = local.shown.tool_calls
}

output "refusal" {
  description = "The model's refusal message for the first choice, or null."
  value       = local.shown.refusal
}

output "usage" {
  description = "Token counts: { prompt_tokens, completion_tokens, total_tokens }."
  value       = jsondecode(local.result.usage)
}

output "system_fingerprint" {
  description = "The backend configuration that answered, or null."
  value       = jsondecode(local.result.system_fingerprint)
}

output "service_tier" {
  description = "The service tier that served the request, or null."
  value       = jsondecode(local.result.service_tier)
}

output "request_sha256" {
  description = "SHA-256 of everything that identifies the request (the cache key); stable across plans."
  value       = jsondecode(local.result.request_sha256)
}
