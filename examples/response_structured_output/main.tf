module "capital" {
  source       = "../../modules/response"
  model        = "gpt-4o-mini"
  instructions = "Answer with facts about the country's capital."
  input        = "Spain"
  text_format = {
    type   = "json_schema"
    name   = "capital"
    strict = true
    schema = jsonencode({
      type = "object"
      properties = {
        city       = { type = "string" }
        population = { type = "integer" }
        landmarks  = { type = "array", items = { type = "string" } }
      }
      required             = ["city", "population", "landmarks"]
      additionalProperties = false
    })
  }
}
