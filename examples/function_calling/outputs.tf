output "function_call" {
  description = "The function the model chose, as { name, arguments }."
  value       = module.weather.function_call
}

output "function_arguments" {
  description = "The call's arguments, decoded."
  value       = module.weather.function_call == null ? null : jsondecode(module.weather.function_call.arguments)
}
