"""The helper behind modules/chat_completion: one chat completion per `data "external"` read."""
