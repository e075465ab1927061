"""modules/stored_response's flow: query -> the id to read -> API reads (never cached) -> values."""
