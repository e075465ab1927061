module "chat" {
  source = "../../modules/chat_completion"
  model  = "gpt-3.5-turbo"
  messages = [
    { role = "system", content = "You are a helpful assistant." },
    { role = "user", content = "Tell me about the solar system." },
  ]
  temperature = 0.7
  max_tokens  = 500
}
