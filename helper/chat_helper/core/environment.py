"""What the process's environment decides: the variables an answer depends on besides the query (their
values never leave the process), and the user's private runtime folders.

A worker is shared only by calls whose values match (its socket is named by their hash), and an SDK
client is reused only under the values it was made with. The private runtime folder,
<base>/terraform-openai-chat-<uid> (base: $XDG_RUNTIME_DIR, else $TMPDIR, else /tmp), holds the
worker's socket and a run's spend counts; it is made owner-only and trusted only when it stayed a real
folder of this user's. Imports nothing but os: the calling side of the worker reads it on every call.
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


WINDOWS = os.name == "nt"
REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: a junction or a link, on Windows


def runtime_bases() -> list[str]:
    """The folders a private runtime folder may be made in, in order of preference. On Windows, the
    user's own temporary folder (%TEMP%): "/tmp" is no absolute path there (Python 3.13 says so)."""
    names = ("XDG_RUNTIME_DIR", "TMPDIR", "TEMP", "TMP") if WINDOWS else ("XDG_RUNTIME_DIR", "TMPDIR")
    bases = [*(os.environ.get(name, "") for name in names), "/tmp"]
    return [base for base in bases if os.path.isabs(base)]


def runtime_folder(base: str) -> str:
    return os.path.join(base, f"terraform-openai-chat-{_user()}")


def _user() -> str:
    """The user's id (POSIX), or name (Windows: no uid; its folders under %TEMP% are the user's own)."""
    if hasattr(os, "getuid"):
        return str(os.getuid())
    name = os.environ.get("USERNAME", "") or "user"
    return "".join(character if character.isalnum() or character in "-_." else "_" for character in name)


def private_folder(folder: str) -> bool:
    """Creates the folder owner-only, and trusts it only when it is a real folder that stayed so (on
    POSIX, this user's with no access for others; on Windows, not a link or junction: its mode bits say
    nothing, and Python 3.13's mkdir gives it an owner-only access list)."""
    try:
        os.mkdir(folder, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return False
    try:
        status = os.lstat(folder)
    except OSError:
        return False
    is_folder = status.st_mode & 0o170000 == 0o040000
    if not hasattr(os, "getuid"):
        return is_folder and not getattr(status, "st_file_attributes", 0) & REPARSE_POINT
    return is_folder and status.st_uid == os.getuid() and status.st_mode & 0o077 == 0
