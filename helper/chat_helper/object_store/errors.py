"""The one line a user sees when the object store fails: what failed, where, and what to check.

Never a credential: the lines are written from status codes and names, and the one piece of server
text quoted (for an unexpected refusal) has anything shaped like an AWS key removed.
"""

import re
from dataclasses import dataclass

from ..core.errors import HelperError

TYPE_CHECKING = False
if TYPE_CHECKING:  # botocore is imported only when a store is used
    from botocore.exceptions import ClientError

ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AllAccessDisabled",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "InvalidToken",
        "TokenRefreshRequired",
        "XAdminUserNotFound",  # versitygw's answer to an unknown access key
    }
)
THROTTLING_CODES = frozenset(
    {"SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests", "RequestThrottled"}
)
WRONG_REGION_CODES = frozenset(
    {"PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"}
)
_KEY_SHAPED = re.compile(r"\b(AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{8,}\b|[A-Za-z0-9/+=]{32,}")
PERMISSIONS = "s3:GetObject, s3:PutObject and s3:ListBucket on the prefix"


class StoreError(HelperError):
    """The object store failed; the message says which store and what to check."""


class StoreTimeout(Exception):
    """The call's time budget ran out during an exchange with the store."""


@dataclass(frozen=True)
class StoreContext:
    """What a message names: the store as written, its endpoint as reached, and the time budget."""

    display: str  # s3://bucket/prefix
    bucket: str
    endpoint: str
    timeout_seconds: float


def describe_store_failure(error: BaseException, context: StoreContext, doing: str) -> str:
    """One line for a failure of botocore (or of the time budget) while `doing` (e.g. "reading the answer")."""
    from botocore import exceptions

    where = f"the object store at {context.endpoint}"
    if isinstance(error, (StoreTimeout, exceptions.ConnectTimeoutError, exceptions.ReadTimeoutError)):
        return (
            f"no answer from {where} (bucket {context.bucket}) within the time budget while {doing} "
            f"(timeout_seconds = {context.timeout_seconds:g}): check the endpoint and the network, or raise "
            f"timeout_seconds; nothing was half-written"
        )
    if isinstance(error, exceptions.SSLError):
        return (
            f"TLS with {where} failed while {doing}: check the endpoint's certificate (AWS_CA_BUNDLE for a private CA)"
        )
    if isinstance(error, (exceptions.EndpointConnectionError, exceptions.ConnectionClosedError)):
        return (
            f"cannot reach {where} (bucket {context.bucket}) while {doing}: check the endpoint (cache_url's "
            f"endpoint=, or AWS_ENDPOINT_URL_S3) and the network"
        )
    if isinstance(error, exceptions.NoCredentialsError):
        return (
            f"no AWS credentials for {context.display}: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and "
            f"AWS_SECRET_ACCESS_KEY, or run where an instance or task role provides them"
        )
    if isinstance(error, exceptions.PartialCredentialsError):
        return f"incomplete AWS credentials for {context.display}: {error.kwargs.get('cred_var', 'a part')} is missing"
    if isinstance(error, exceptions.ProfileNotFound):
        return f"the AWS profile {error.kwargs.get('profile')!r} (AWS_PROFILE) is not in the AWS config files"
    if isinstance(error, exceptions.ClientError):
        return _describe_refusal(error, context, where, doing)
    return f"object store error while {doing} {context.display} at {context.endpoint}: {type(error).__name__}"


def _describe_refusal(error: "ClientError", context: StoreContext, where: str, doing: str) -> str:
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    code = str(error.response.get("Error", {}).get("Code", status))
    attempts = error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) + 1
    if code == "NoSuchBucket":
        return f"the bucket {context.bucket} does not exist at {context.endpoint}: create it, or fix cache_url"
    if status == 403 or code in ACCESS_DENIED_CODES:
        return (
            f"access denied to {context.display} ({status} {code}) at {context.endpoint} while {doing}: check the "
            f"AWS credentials (AWS_PROFILE / AWS_ACCESS_KEY_ID ...) and that they allow {PERMISSIONS}"
        )
    if status == 301 or code in WRONG_REGION_CODES:
        headers = error.response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        region = headers.get("x-amz-bucket-region")
        in_region = f" (it is in {region})" if region else ""
        return f"the bucket {context.bucket} is in another region{in_region}: set region= in cache_url, or AWS_REGION"
    if status in (429, 503) or code in THROTTLING_CODES:
        return (
            f"{where} is throttling ({status} {code}) after {attempts} attempts while {doing}: try again later, "
            f"or lower -parallelism"
        )
    if status == 501 or code == "NotImplemented":
        return (
            f"{where} does not implement what {doing} needs ({status} {code}): the helper's writes are conditional "
            f"(If-None-Match, If-Match); use a store that supports conditional writes (docs/object-store.md)"
        )
    if status >= 500:
        return f"{where} failed ({status} {code}) after {attempts} attempts while {doing}: try again later"
    message = _KEY_SHAPED.sub("[redacted]", str(error.response.get("Error", {}).get("Message", "")))[:200]
    return f"{where} refused {doing} in {context.display} ({status} {code}{': ' + message if message else ''})"
