"""Helpers for the tests, the bench and `make demo-local`: the loopback OpenAI-compatible server."""
