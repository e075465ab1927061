# Each output decodes its key of the helper's result (every value is JSON): modules/response's outputs,
# as the stored response has them, and what only a read-back has (metadata, error, input_items). With
# sensitive = true the answer and the prompt are marked sensitive.

output "id" {
  description = "The stored response's ID."
  value       = jsondecode(local.result.id)
}

output "created_at" {
  description = "Unix timestamp (seconds) of the response's creation."
  value       = jsondecode(local.result.created_at)
}

output "status" {
  description = "The stored response's status: completed, incomplete, failed, cancelled, queued or in_progress (a read-back reports it; no guardrail fails on it)."
  value       = jsondecode(local.result.status)
}

output "model" {
  description = "The model that answered."
  value       = jsondecode(local.result.model)
}

output "output_text" {
  description = "The text of every output_text part of every message, joined (as the SDK's output_text); \"\" when there is none."
  value       = local.shown.output_text
}

output "parsed" {
  description = "When the stored response asked for JSON (its text.format is json_object or json_schema): the answer decoded from JSON, or null when it is not JSON. Not checked against the schema again."
  value       = local.shown.parsed
}

output "refusal" {
  description = "The model's refusal, or null."
  value       = local.shown.refusal
}

output "function_calls" {
  description = "The function tools the model called, in order: each { id, call_id, name, arguments, arguments_decoded }."
  value       = local.shown.function_calls
}

output "reasoning_summary" {
  description = "The summaries of the model's reasoning, joined by blank lines, or null."
  value       = local.shown.reasoning_summary
}

output "output" {
  description = "The output items, in order, each { type, id, status, role, text, content = [{ type, text, refusal }], name, call_id, arguments, arguments_decoded, output, summary, json }: null where an item has nothing; json is the whole item."
  value       = local.shown.output
}

output "incomplete_reason" {
  description = "Why an incomplete response stopped (max_output_tokens or content_filter), or null."
  value       = jsondecode(local.result.incomplete_reason)
}

output "usage" {
  description = "Token counts: { input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens }, or null when the response has none (a failed one)."
  value       = jsondecode(local.result.usage)
}

output "service_tier" {
  description = "The processing tier that served the response (default, flex, priority...), or null when the API did not say."
  value       = jsondecode(local.result.service_tier)
}

output "metadata" {
  description = "The metadata stored with the response, a map of strings (empty when it has none)."
  value       = tomap(jsondecode(local.result.metadata))
}

output "error" {
  description = "A failed response's error as { code, message }, or null."
  value       = jsondecode(local.result.error)
}

output "input_items" {
  description = "The response's own input items (not those of earlier responses in its chain), oldest first, every page: each in the shape of the output items, { type, id, status, role, text, content, name, call_id, arguments, arguments_decoded, output, summary, json }."
  value       = local.shown.input_items
}
