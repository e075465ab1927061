"""modules/stored_completion's flow: query -> what to read -> API reads (never cached) -> values."""
