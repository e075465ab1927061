output "first_answer" {
  description = "The first turn's answer."
  value       = module.first.output_text
}

output "follow_up_answer" {
  description = "The second turn's answer, given the first turn."
  value       = module.follow_up.output_text
}

output "chain" {
  description = "The IDs of the two responses, in order."
  value       = [module.first.id, module.follow_up.id]
}
