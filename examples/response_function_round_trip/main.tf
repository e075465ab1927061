# A function round trip in two blocks: the model asks for get_weather, Terraform answers with a value it
# knows, and the model writes the final answer with it.
locals {
  weather_tool = {
    name        = "get_weather"
    description = "The current weather in a city"
    parameters = jsonencode({
      type = "object"
      properties = {
        city = { type = "string" }
        unit = { type = "string", enum = ["celsius", "fahrenheit"] }
      }
      required             = ["city", "unit"]
      additionalProperties = false # function tools are strict by default: every object closed
    })
  }
}

module "ask" {
  source      = "../../modules/response"
  model       = "gpt-4o"
  input       = "Should I take a coat in Paris today?"
  tools       = [local.weather_tool]
  tool_choice = "get_weather"
}

module "answer" {
  source               = "../../modules/response"
  model                = "gpt-4o"
  previous_response_id = module.ask.id
  tools                = [local.weather_tool]
  input_items = [for call in module.ask.function_calls : {
    type    = "function_call_output"
    call_id = call.call_id
    # The function's result: in a real configuration, a value a data source or another module gives.
    output = jsonencode({ city = call.arguments_decoded.city, temperature = 12, unit = call.arguments_decoded.unit, conditions = "rain" })
  }]
}
