# A caller of the module, as a user's root module would be: it reports which outputs arrive sensitive.
variable "sensitive" {
  type = bool
}

module "answers" {
  source    = "../.."
  model     = "gpt-4o"
  requests  = { a = { messages = [{ role = "user", content = "hi" }] } }
  sensitive = var.sensitive
}

output "sensitive_outputs" {
  value = sort([for name, value in {
    results  = module.answers.results
    contents = module.answers.contents
    usage    = module.answers.usage
  } : name if issensitive(value)])
}
