module "conversation" {
  source = "../../modules/chat_completion"
  model  = "gpt-4"
  messages = [
    { role = "system", content = "You are a helpful assistant." },
    { role = "user", content = "Who won the world series in 2020?" },
    { role = "assistant", content = "The Los Angeles Dodgers won the World Series in 2020." },
    { role = "user", content = "Where was it played?" },
  ]
}
