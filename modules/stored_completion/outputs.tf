locals {
  # The helper answers with JSON in every value; this turns them back into Terraform types.
  result = { for name, value in data.external.stored_completion.result : name => jsondecode(value) }

  # With sensitive = true the answers and prompts are hidden in plans and outputs. A conditional
  # would mark the result whenever either branch is sensitive, so the view is picked by indexing.
  private_names = ["choices", "content", "function_call", "tool_calls", "refusal", "messages", "completions"]
  private_views = {
    "false" = { for name in local.private_names : name => local.result[name] }
    "true"  = { for name in local.private_names : name => sensitive(local.result[name]) }
  }
  private = local.private_views[tostring(var.sensitive)]
}

################################################################################
# Reading one completion (completion_id set): chat_completion's outputs plus
# metadata and messages. All null when listing.
################################################################################

output "id" {
  description = "The stored completion's ID."
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
  value       = local.private.choices
}

output "content" {
  description = "Content of the first choice's message (null when the model only called a function)."
  value       = local.private.content
}

output "finish_reason" {
  description = "Why the first choice stopped: stop, length, function_call, tool_calls or content_filter."
  value       = local.result.finish_reason
}

output "function_call" {
  description = "The first choice's function call as { name, arguments }, or null."
  value       = local.private.function_call
}

output "tool_calls" {
  description = "The first choice's tool calls as a list of { id, type, name, arguments, arguments_decoded }, or null."
  value       = local.private.tool_calls
}

output "refusal" {
  description = "The model's refusal message for the first choice, or null."
  value       = local.private.refusal
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

output "metadata" {
  description = "The metadata stored with the completion, a map of strings (empty when it has none)."
  value       = local.result.metadata == null ? null : tomap(local.result.metadata)
}

output "messages" {
  description = "The stored request messages, oldest first, every page: each { id, role, content, content_parts, name, tool_call_id, function_call, tool_calls }."
  value       = local.private.messages
}

################################################################################
# Listing (completion_id null). All null when reading one completion.
################################################################################

output "completions" {
  description = "The stored completions that match, in order: each { id, created, model, metadata, choices, content, finish_reason, function_call, tool_calls, refusal, usage, system_fingerprint, service_tier }."
  value       = local.private.completions
}

output "ids" {
  description = "The IDs of the stored completions that match, in order."
  value       = local.result.ids
}

output "has_more" {
  description = "Whether more stored completions match than limit let through."
  value       = local.result.has_more
}
