output "results" {
  description = "Every key's answer, keyed like requests: the outputs chat_completion has, { id, created, model, choices, content, parsed, finish_reason, function_call, tool_calls, refusal, usage, system_fingerprint, service_tier, request_sha256 }."
  value       = local.answers
}

output "contents" {
  description = "Every key's answer text (the first choice's content; null where the model only called a tool), keyed like requests."
  value       = { for key, result in local.answers : key => result.content }
}

output "usage" {
  description = "Token counts summed over every key's answer, cached or new: { prompt_tokens, completion_tokens, total_tokens }."
  value       = jsondecode(local.result.usage)
}
