# Each output decodes its key of the helper's result (every value is JSON). With sensitive = true the
# answer outputs are marked sensitive (a caller's root output that passes one on must say sensitive =
# true too); the id, status, model, usage and the cache key are not.

output "id" {
  description = "The response's ID: pass it to another block's previous_response_id, or to modules/stored_response."
  value       = jsondecode(local.result.id)
}

output "created_at" {
  description = "Unix timestamp (seconds) of the response's creation."
  value       = jsondecode(local.result.created_at)
}

output "status" {
  description = "completed, or incomplete when an allow_* input accepted a cut-off or filtered answer (every other status fails the plan)."
  value       = jsondecode(local.result.status)
}

output "model" {
  description = "The model that answered."
  value       = jsondecode(local.result.model)
}

output "output_text" {
  description = "The text of every output_text part of every message, joined (as the SDK's output_text); \"\" when the model only called tools."
  value       = local.shown.output_text
}

output "parsed" {
  description = "With text_format json_object or json_schema: the answer parsed from JSON (checked against the schema), else null."
  value       = local.shown.parsed
}

output "refusal" {
  description = "The model's refusal (with allow_refusal = true), or null."
  value       = local.shown.refusal
}

output "function_calls" {
  description = "The function tools the model called, in order: each { id, call_id, name, arguments, arguments_decoded }; send a result back as { type = \"function_call_output\", call_id, output } in input_items. Empty when it called none."
  value       = local.shown.function_calls
}

output "reasoning_summary" {
  description = "The summaries of the model's reasoning (with reasoning_summary set), joined by blank lines, or null."
  value       = local.shown.reasoning_summary
}

output "output" {
  description = "The output items, in order, each { type, id, status, role, text, content = [{ type, text, refusal }], name, call_id, arguments, arguments_decoded, output, summary, json }: null where an item has nothing; json is the whole item (web search actions, annotations, images)."
  value       = local.shown.output
}

output "incomplete_reason" {
  description = "Why an accepted incomplete answer stopped (max_output_tokens or content_filter), or null."
  value       = jsondecode(local.result.incomplete_reason)
}

output "usage" {
  description = "Token counts: { input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens }."
  value       = jsondecode(local.result.usage)
}

output "service_tier" {
  description = "The processing tier that served the request (default, flex, priority...); with flex_fallback, default when Flex had no capacity. Null when the API did not say."
  value       = jsondecode(local.result.service_tier)
}

output "request_sha256" {
  description = "SHA-256 of everything that identifies the request (the cache key); stable across plans."
  value       = jsondecode(local.result.request_sha256)
}
