output "id" {
  description = "The stored completion's ID."
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
  description = "Every generated choice: { index, message = { role, content, function_call, tool_calls, refusal }, finish_reason }."
  value       = local.shown.choices
}

output "content" {
  description = "Content of the first choice's message (null when the model only called a function)."
  value       = local.shown.content
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

output "metadata" {
  description = "The metadata stored with the completion, a map of strings (empty when it has none)."
  value       = jsondecode(local.result.metadata) == null ? null : tomap(jsondecode(local.result.metadata))
}

output "messages" {
  description = "The stored request messages, oldest first, every page: each { id, role, content, content_parts, name, tool_call_id, function_call, tool_calls }."
  value       = local.shown.messages
}

################################################################################
# Listing (completion_id null). All null when reading one completion.
################################################################################

output "completions" {
  description = "The stored completions that match, in order: each { id, created, model, metadata, choices, content, finish_reason, function_call, tool_calls, refusal, usage, system_fingerprint, service_tier }."
  value       = local.shown.completions
}

output "ids" {
  description = "The IDs of the stored completions that match, in order."
  value       = jsondecode(local.result.ids)
}

output "has_more" {
  description = "Whether more stored completions match than limit let through."
  value       = jsondecode(local.result.has_more)
}
