variable "azure_endpoint" {
  type        = string
  description = "Your Azure OpenAI resource's endpoint."
  default     = "https://my-resource.openai.azure.com"
}

module "azure_chat" {
  source           = "../../modules/chat_completion"
  azure_endpoint   = var.azure_endpoint
  azure_deployment = "gpt-4o-prod"
  # azure_api_version defaults to 2024-10-21; the key comes from AZURE_OPENAI_API_KEY.
  model = "gpt-4o"
  messages = [
    { role = "user", content = "Write a one-line description for a private subnet." },
  ]
}
