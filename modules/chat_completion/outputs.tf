# Each output decodes its own key of the helper's result (every value is JSON). With sensitive = true
# the answer outputs are marked sensitive (a caller's root output that passes one on must say
# sensitive = true too); a conditional would mark them whenever either branch is, so the view is
# picked by indexing a [plain, sensitive] pair instead.

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
  value       = [jsondecode(local.result.choices), sensitive(jsondecode(local.result.choices))][var.sensitive ? 1 : 0]
}

output "content" {
  description = "Content of the first choice's message (null when the model only called a function)."
  value       = [jsondecode(local.result.content), sensitive(jsondecode(local.result.content))][var.sensitive ? 1 : 0]
}

output "parsed" {
  description = "With response_format json_object or json_schema: the first choice's answer parsed from JSON (checked against the schema), else null."
  value       = [jsondecode(local.result.parsed), sensitive(jsondecode(local.result.parsed))][var.sensitive ? 1 : 0]
}

output "finish_reason" {
  description = "Why the first choice stopped: stop, length, function_call, tool_calls or content_filter."
  value       = jsondecode(local.result.finish_reason)
}

output "function_call" {
  description = "The first choice's function call as { name, arguments }, or null."
  value       = [jsondecode(local.result.function_call), sensitive(jsondecode(local.result.function_call))][var.sensitive ? 1 : 0]
}

output "tool_calls" {
  description = "The first choice's tool calls as a list of { id, type, name, arguments, arguments_decoded }, or null."
  value       = [jsondecode(local.result.tool_calls), sensitive(jsondecode(local.result.tool_calls))][var.sensitive ? 1 : 0]
}

output "refusal" {
  description = "The model's refusal message for the first choice, or null."
  value       = [jsondecode(local.result.refusal), sensitive(jsondecode(local.result.refusal))][var.sensitive ? 1 : 0]
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
