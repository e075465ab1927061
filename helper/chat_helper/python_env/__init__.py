"""The helper's own Python environment: found on every call (locate), made once per machine (provision)."""
