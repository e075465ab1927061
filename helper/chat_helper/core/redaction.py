"""Makes a message safe to print: one line, with no API key (nor AWS credential, nor a base URL's
credentials) in it; and a base URL as it may be shown or kept in a cache entry."""

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


# A URL in a line, up to a character that ends it in prose.
_URL_IN_TEXT = re.compile(r"https?://[^\s'\"<>(),;]+")
# A path segment shaped like a token: 24 or more characters, upper- and lowercase letters and digits
# (hex IDs, UUIDs and words are not: they are lowercase, or short).
_TOKEN_SEGMENT = re.compile(r"(?=[^/]*[a-z])(?=[^/]*[A-Z])(?=[^/]*[0-9])[A-Za-z0-9_\-.~+=]{24,}")
# A path segment that names itself a credential (token-..., key=..., api_key:...), and the segment after
# one that is only such a name (/token/<value>/): a gateway's per-user token in its base URL.
_CREDENTIAL_WORDS = r"(?:api[-_]?key|key|token|secret|password|auth)"
_NAMED_CREDENTIAL = re.compile(_CREDENTIAL_WORDS + r"[-_=:].+", re.IGNORECASE)
_CREDENTIAL_NAME = re.compile(_CREDENTIAL_WORDS, re.IGNORECASE)
REDACTED = "[redacted]"


def safe_line(message: str) -> str:
    for variable in _SECRET_VARIABLES:
        secret = os.environ.get(variable, "")
        for form in {secret, secret.strip(), repr(secret)[1:-1], repr(secret.strip())[1:-1]}:
            if len(form) >= 4:
                message = message.replace(form, REDACTED)
    message = _URL_IN_TEXT.sub(lambda url: url_without_credentials(url.group(0)), message)
    message = _KEY_LIKE.sub(REDACTED, message)
    return " ".join(message.split())


def url_without_credentials(url: str) -> str:
    """The URL without what may be a credential in it (a base URL may carry one, OPENAI_BASE_URL above all):
    a user:password@, the value of every query parameter, a fragment, and a path segment shaped like a key
    or a token. A URL with none of these comes back unchanged (a cache key made from it stays the same)."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    rest, hash_mark, _ = rest.partition("#")
    rest, question_mark, query = rest.partition("?")
    authority, slash, path = rest.partition("/")
    authority = authority.rpartition("@")[2]
    segments = path.split("/")
    segments = [
        REDACTED
        if _looks_like_a_secret(segment) or (at > 0 and _CREDENTIAL_NAME.fullmatch(segments[at - 1]))
        else segment
        for at, segment in enumerate(segments)
    ]
    shown = f"{scheme}://{authority}{slash}{'/'.join(segments)}"
    if question_mark:
        parameters = [parameter.partition("=") for parameter in query.split("&")]
        shown += "?" + "&".join(f"{name}={REDACTED}" if equals else REDACTED for name, equals, _ in parameters)
    return shown + (f"#{REDACTED}" if hash_mark else "")


def _looks_like_a_secret(segment: str) -> bool:
    return any(shape.fullmatch(segment) is not None for shape in (_KEY_LIKE, _TOKEN_SEGMENT, _NAMED_CREDENTIAL))
