locals {
  # The helper answers with JSON in every value; this turns them back into Terraform types.
  result = { for name, value in data.external.chat_completion.result : name => jsondecode(value) }

  # With sensitive = true the answer is hidden in plans and outputs (a caller's root output that
  # passes it on must then say sensitive = true too). A conditional would mark the result whenever
  # either branch is sensitive, so the view is picked by indexing instead.
  answer_names = ["choices", "content", "parsed", "function_call", "tool_calls", "refusal"]
  answer_views = {
    "false" = { for name in local.answer_names : name => local.result[name] }
    "true"  = { for name in local.answer_names : name => sensitive(local.result[name]) }
  }
  answer = local.answer_views[tostring(var.sensitive)]
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
  description = "Every generated choice: { index, message = { role, content, function_call, tool_calls, refusal }, finish_reason, logprobs }."
  value       = local.answer.choices
}

output "content" {
  description = "Content of the first choice's message (null when the model only called a function)."
  value       = local.answer.content
}

output "parsed" {
  description = "With response_format json_object or json_schema: the first choice's answer parsed from JSON (checked against the schema), else null."
  value       = local.answer.parsed
}

output "finish_reason" {
  description = "Why the first choice stopped: stop, length, function_call, tool_calls or content_filter."
  value       = local.result.finish_reason
}

output "function_call" {
  description = "The first choice's function call as { name, arguments }, or null."
  value       = local.answer.function_call
}

output "tool_calls" {
  description = "The first choice's tool calls as a list of { id, type, name, arguments, arguments_decoded }, or null."
  value       = local.answer.tool_calls
}

output "refusal" {
  description = "The model's refusal message for the first choice, or null."
  value       = local.answer.refusal
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
