output "function_calls" {
  description = "The calls the model asked for: { id, call_id, name, arguments, arguments_decoded }."
  value       = module.ask.function_calls
}

output "answer" {
  description = "The model's answer once it read the function's result."
  value       = module.answer.output_text
}
