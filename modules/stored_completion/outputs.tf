# Each output decodes its own key of the helper's result (every value is JSON). With sensitive = true
# the answers and prompts are marked sensitive; a conditional would mark them whenever either branch
# is, so the view is picked by indexing a [plain, sensitive] pair instead.

################################################################################
# Reading one completion (completion_id set): chat_completion's outputs plus
# metadata and messages. All null when listing.
################################################################################

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
  value       = [jsondecode(local.result.choices), sensitive(jsondecode(local.result.choices))][var.sensitive ? 1 : 0]
}

output "content" {
  description = "Content of the first choice's message (null when the model only called a function)."
  value       = [jsondecode(local.result.content), sensitive(jsondecode(local.result.content))][var.sensitive ? 1 : 0]
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

output "metadata" {
  description = "The metadata stored with the completion, a map of strings (empty when it has none)."
  value       = jsondecode(local.result.metadata) == null ? null : tomap(jsondecode(local.result.metadata))
}

output "messages" {
  description = "The stored request messages, oldest first, every page: each { id, role, content, content_parts, name, tool_call_id, function_call, tool_calls }."
  value       = [jsondecode(local.result.messages), sensitive(jsondecode(local.result.messages))][var.sensitive ? 1 : 0]
}

################################################################################
# Listing (completion_id null). All null when reading one completion.
################################################################################

output "completions" {
  description = "The stored completions that match, in order: each { id, created, model, metadata, choices, content, finish_reason, function_call, tool_calls, refusal, usage, system_fingerprint, service_tier }."
  value       = [jsondecode(local.result.completions), sensitive(jsondecode(local.result.completions))][var.sensitive ? 1 : 0]
}

output "ids" {
  description = "The IDs of the stored completions that match, in order."
  value       = jsondecode(local.result.ids)
}

output "has_more" {
  description = "Whether more stored completions match than limit let through."
  value       = jsondecode(local.result.has_more)
}
