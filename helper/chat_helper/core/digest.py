"""SHA-256 from the C module alone: importing hashlib costs more than the rest of a call through the
worker, and this runs on every call (the worker's identity, the private environment's name)."""

import sys


def sha256_hex(data: bytes) -> str:
    # The C module's name changed in Python 3.12; asking for the other first would search the whole
    # sys.path in vain on every call.
    try:
        if sys.version_info >= (3, 12):
            from _sha2 import sha256  # type: ignore[import-not-found, unused-ignore]
        else:
            from _sha256 import sha256  # type: ignore[import-not-found, no-redef, unused-ignore]
    except ImportError:
        from hashlib import sha256
    return sha256(data).hexdigest()  # type: ignore[no-any-return, unused-ignore]
