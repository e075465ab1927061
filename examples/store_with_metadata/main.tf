module "tagged_chat" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "user", content = "What is the capital of France?" },
  ]
  store    = true
  metadata = { category = "geography" }
}
