"""Makes a message safe to print: one line, with no API key (nor AWS credential) in it."""

import os
import re

# The API echoes refused keys in a masked form ("sk-abc1***********wxyz"); hide those too.
_KEY_LIKE = re.compile(r"\b(sk|sess)-[A-Za-z0-9_*.\-]{3,}")
_SECRET_VARIABLES = (
    "OPENAI_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ACCESS_KEY_ID",
)


def safe_line(message: str) -> str:
    for variable in _SECRET_VARIABLES:
        secret = os.environ.get(variable, "")
        for form in {secret, secret.strip(), repr(secret)[1:-1], repr(secret.strip())[1:-1]}:
            if len(form) >= 4:
                message = message.replace(form, "[redacted]")
    message = _KEY_LIKE.sub("[redacted]", message)
    return " ".join(message.split())
