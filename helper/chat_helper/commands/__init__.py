"""The helper's commands other than answering a query: helper/main.py <command> [options]."""
