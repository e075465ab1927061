"""The LiteLLM gateway the gateway tests run: its pinned packages, and a script that records what it does."""
