"""The user's private runtime folders: where the warm worker's socket and a run's spend counts live.

<base>/terraform-openai-chat-<uid>, base being $XDG_RUNTIME_DIR, else $TMPDIR, else /tmp, made owner-only
and trusted only when it stayed a real folder of this user's. Imports nothing but os: the worker's
calling side uses it on every call.
"""

import os


def runtime_bases() -> list[str]:
    """The folders a private runtime folder may be made in, in order of preference."""
    bases = [os.environ.get("XDG_RUNTIME_DIR", ""), os.environ.get("TMPDIR", ""), "/tmp"]
    return [base for base in bases if os.path.isabs(base)]


def runtime_folder(base: str) -> str:
    return os.path.join(base, f"terraform-openai-chat-{os.getuid()}")


def private_folder(folder: str) -> bool:
    """Creates the folder owner-only, and trusts it only when it is a real folder that stayed so."""
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
    return is_folder and status.st_uid == os.getuid() and status.st_mode & 0o077 == 0
