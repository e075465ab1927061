"""modules/chat_completion's flow: query -> validated request -> (cache | API) -> checked answer -> values."""
