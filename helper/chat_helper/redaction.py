"""Makes a message safe to print: one line, with no API key in it."""

import os
import re

# The API echoes refused keys in a masked form ("sk-abc1***********wxyz"); hide those too.
_KEY_LIKE = re.compile(r"\b(sk|sess|key)-[A-Za-z0-9_*.\-]{3,}")
_SECRET_VARIABLES = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY")


def safe_line(message: str) -> str:
    for variable in _SECRET_VARIABLES:
        secret = os.environ.get(variable, "")
        if len(secret) >= 4:
            message = message.replace(secret, "[redacted]")
    message = _KEY_LIKE.sub("[redacted]", message)
    return " ".join(message.split())
