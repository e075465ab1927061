"""modules/response's flow: query -> inputs and request -> (cache | rules -> API -> checked answer) -> values."""
