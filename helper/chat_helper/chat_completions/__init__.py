"""modules/chat_completions' flow: a map of requests, each answered as chat_completion answers one
(chat/), the misses asked concurrently from one helper call."""
