"""The environment variables an answer depends on besides the query; their values never leave the process.

A worker is shared only by calls whose values match (its socket is named by their hash), and an SDK
client is reused only under the values it was made with. Imports nothing but os: the calling side of
the worker reads it on every call.
"""

import os

# Extend these when the helper reads another variable; a prefix covers every variable that starts with it.
# AWS_: where, and as whom, the object store of cache_url is reached.
ENVIRONMENT_PREFIXES = ("OPENAI_", "AZURE_OPENAI_", "CHAT_HELPER_", "AWS_")
ENVIRONMENT_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR")


def relevant_environment() -> str:
    """The variables an answer may depend on, with their values (never leaves the process in clear)."""
    pairs = []
    for name in sorted(os.environ):
        upper = name.upper()
        if upper.startswith(ENVIRONMENT_PREFIXES) or upper in ENVIRONMENT_VARIABLES:
            pairs.append(f"{name}={os.environ[name]}")
    return "\0".join(pairs)
