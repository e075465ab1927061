# Store a completion with metadata, read it back by ID, and list the stored completions tagged the same way.
module "chat" {
  source = "../../modules/chat_completion"
  model  = "gpt-4o"
  messages = [
    { role = "system", content = "Answer in one sentence." },
    { role = "user", content = "What is the capital of France?" },
  ]
  store    = true
  metadata = { category = "geography", example = "stored_completion" }
}

module "stored" {
  source        = "../../modules/stored_completion"
  completion_id = module.chat.id
}

module "geography" {
  source   = "../../modules/stored_completion"
  metadata = { category = "geography", example = "stored_completion" }
  order    = "desc"
  limit    = 10

  # List once the completion above is stored (module.chat holds no resources, so the list is still
  # read at plan time, not deferred to apply).
  depends_on = [module.chat]
}
