module "stored_chat" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "user", content = "Write a haiku about Terraform state." },
  ]
  store = true
}
