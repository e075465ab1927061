"""The OpenAI API as both flows use it: the endpoint, the SDK client, the retry policy, failures and responses."""
