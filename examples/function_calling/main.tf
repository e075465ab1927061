module "weather" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "user", content = "What's the weather like in Boston today?" },
  ]
  functions = [
    {
      name        = "get_current_weather"
      description = "Get the current weather in a given location"
      parameters = jsonencode({
        type = "object"
        properties = {
          location = { type = "string", description = "The city and state, e.g. San Francisco, CA" }
          unit     = { type = "string", enum = ["celsius", "fahrenheit"] }
        }
        required = ["location"]
      })
    },
  ]
  function_call = "auto"
}
