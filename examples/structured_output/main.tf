module "policy" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "system", content = "You write least-privilege IAM policies." },
    { role = "user", content = "Read-only access to the bucket logs-prod." },
  ]
  response_format = {
    type   = "json_schema"
    name   = "iam_policy"
    strict = true
    schema = jsonencode({
      type = "object"
      properties = {
        statements = {
          type = "array"
          items = {
            type = "object"
            properties = {
              effect    = { type = "string", enum = ["Allow", "Deny"] }
              actions   = { type = "array", items = { type = "string" } }
              resources = { type = "array", items = { type = "string" } }
            }
            required             = ["effect", "actions", "resources"]
            additionalProperties = false
          }
        }
      }
      required             = ["statements"]
      additionalProperties = false
    })
  }
}
