"""What every flow that asks the API for an answer shares (chat_completion, chat_completions, response):
the answer settings, the request's fingerprint, the cache folder in front of the object store, pacing,
the guardrails' wording, structured output, and the one path a request takes (answer.py)."""
