"""cache_url: where a team's shared answers live, s3://bucket/prefix?endpoint=...&region=...&path_style=true.

The store's settings ride in the query string, as in a backend block; credentials never do (they
would reach state and plans): they come from the standard AWS chain. Parsed without percent-decoding,
so what is checked is what is used.
"""

import os
import re
from dataclasses import dataclass

from .errors import ConfigurationError, InputError

CACHE_URL_VARIABLE = "CHAT_HELPER_CACHE_URL"
# Lower-case letters, digits, '.', '-' (and '_', which GCS and older buckets allow); 3 to 63 characters.
BUCKET_PATTERN = r"[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]"
# The characters S3 calls safe in a key, and '/' between the prefix's parts.
PREFIX_PATTERN = r"[A-Za-z0-9!_.*'()/-]*"
ENDPOINT_PATTERN = r"https?://[A-Za-z0-9._\-\[\]:]+/?"
REGION_PATTERN = r"[a-z0-9-]{1,32}"
PARAMETERS = ("endpoint", "region", "path_style")
EXAMPLE = "s3://my-bucket/openai-answers, or s3://my-bucket/answers?endpoint=https://minio.example.com:9000"
CREDENTIAL_WORDS = ("key", "secret", "token", "password", "credential", "session", "user")
ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")


@dataclass(frozen=True)
class StoreLocation:
    """A bucket and prefix on an S3-compatible store, and how to reach it (None: the AWS default)."""

    bucket: str
    prefix: str  # without leading or trailing '/'; "" for the bucket's top
    endpoint: str | None = None
    region: str | None = None
    path_style: bool | None = None

    @property
    def display(self) -> str:
        """s3://bucket/prefix, as people write it (the settings are shown apart, where they matter)."""
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    @property
    def answers_prefix(self) -> str:
        """What every answer's object key starts with: <prefix>/, or nothing at the bucket's top."""
        return self._under_prefix("")

    def answer_key(self, key: str) -> str:
        """<prefix>/<key[:2]>/<key>.json: the layout of the local cache folder."""
        return self._under_prefix(f"{key[:2]}/{key}.json")

    def lease_key(self, key: str) -> str:
        return self._under_prefix(f".leases/{key}.json")

    def run_key(self, run_name: str) -> str:
        """A pipeline's spend counts (answers/run_counts.py)."""
        return self._under_prefix(f".runs/{run_name}.json")

    def _under_prefix(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name


def parse_store_url(url: str, source: str = "cache_url") -> StoreLocation:
    """The location, or an InputError naming source (the input or the variable) and the rule."""
    if not url.startswith("s3://"):
        raise InputError(source, f"must be an s3:// URL such as {EXAMPLE} (only s3:// is supported)")
    rest, _, query = url[len("s3://") :].partition("?")
    if "#" in url or any(character.isspace() for character in url):
        raise InputError(source, "must not contain '#' or spaces")
    if "@" in rest:
        raise InputError(source, _NO_CREDENTIALS)
    bucket, _, prefix = rest.partition("/")
    if not re.fullmatch(BUCKET_PATTERN, bucket) or ".." in bucket:
        raise InputError(
            source,
            "must name a valid bucket after s3:// (3 to 63 lower-case letters, digits, '.', '-' or '_', starting "
            "and ending with a letter or digit)",
        )
    prefix = prefix.strip("/")
    if not re.fullmatch(PREFIX_PATTERN, prefix) or any(part in ("", ".", "..") for part in prefix.split("/") if prefix):
        raise InputError(
            source,
            "has a prefix with characters other than letters, digits and !_.*'()- or with an empty, '.' or '..' part",
        )
    settings = _parse_parameters(query, source) if query else {}
    return StoreLocation(bucket=bucket, prefix=prefix, **settings)  # type: ignore[arg-type]


_NO_CREDENTIALS = (
    "must not hold credentials (they would be stored in state and plans): the helper takes them from the AWS "
    "credential chain (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, an instance or task role)"
)


def _parse_parameters(query: str, source: str) -> dict[str, object]:
    settings: dict[str, object] = {}
    for pair in query.split("&"):
        name, equals, value = pair.partition("=")
        if name not in PARAMETERS:
            if any(word in name.lower() for word in CREDENTIAL_WORDS):
                raise InputError(source, _NO_CREDENTIALS)
            raise InputError(source, f"has a parameter other than {', '.join(PARAMETERS)}")
        if not equals or not value:
            raise InputError(source, f"has the parameter {name} with no value")
        if name in settings:
            raise InputError(source, f"has the parameter {name} twice")
        if name == "endpoint":
            if "@" in value:
                raise InputError(source, _NO_CREDENTIALS)
            if not re.fullmatch(ENDPOINT_PATTERN, value):
                raise InputError(source, "has an endpoint that is not an http:// or https:// URL of a host and port")
            settings[name] = value.rstrip("/")
        elif name == "region":
            if not re.fullmatch(REGION_PATTERN, value):
                raise InputError(source, "has a region that is not one: a region looks like eu-west-1, or auto")
            settings[name] = value
        else:
            if value not in ("true", "false"):
                raise InputError(source, "has path_style that is neither true nor false")
            settings[name] = value == "true"
    return settings


def resolve_store_location(cache_url: str | None) -> StoreLocation | None:
    """The store of cache_url, else of CHAT_HELPER_CACHE_URL, else None (answers stay in the local folder)."""
    if cache_url is not None:
        return parse_store_url(cache_url)
    from_environment = os.environ.get(CACHE_URL_VARIABLE, "").strip()
    if not from_environment:
        return None
    try:
        return parse_store_url(from_environment, CACHE_URL_VARIABLE)
    except InputError as error:
        # Its value is not shown: whatever the rule it broke, it may hold what it must not.
        rule = str(error).removeprefix(f"input {CACHE_URL_VARIABLE}: ")
        raise ConfigurationError(
            f"{CACHE_URL_VARIABLE} {rule} (its value is not shown); fix it, or set cache_url"
        ) from None


def default_endpoint_is_custom() -> bool:
    """Whether the standard variables point S3 clients at another store than AWS."""
    return any(os.environ.get(name, "").strip() for name in ENDPOINT_VARIABLES)
