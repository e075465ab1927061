variable "base_url" {
  type        = string
  description = "An OpenAI-compatible server (vLLM, Ollama, LiteLLM, LocalAI, ...). The default is `make demo-local`'s test server."
  default     = "http://127.0.0.1:8787/v1"
}

module "local_model" {
  source   = "../../modules/chat_completion"
  base_url = var.base_url
  model    = "llama-3.1-8b-instruct"
  messages = [
    { role = "user", content = "Name three uses of a bastion host." },
  ]
  temperature     = 0.2
  timeout_seconds = 300 # local models on CPUs can be slow
}
