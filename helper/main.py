"""Entry point run by the module's data "external": python3 helper/main.py.

Written for any Python 3 so that an old or bare interpreter gets an actionable message, not a
SyntaxError or ImportError.
"""

import io
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType  # noqa: F401 (used in a type comment)

MINIMUM_PYTHON = (3, 10)
HELPER_DIR = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.path.join(HELPER_DIR, "chat_helper")
REQUIRED_PACKAGES = ("openai", "jsonschema", "tenacity")


def _fail(message):
    # type: (str) -> None
    sys.stderr.write("chat_completion: " + message + "\n")
    sys.exit(1)


def _check_python():
    # type: () -> None
    if sys.version_info < MINIMUM_PYTHON:
        _fail(
            "the Python interpreter {0} is {1}.{2}; the helper needs {3}.{4} or newer: set the "
            "module's python input to a newer interpreter, then run: {5}".format(
                sys.executable,
                sys.version_info[0],
                sys.version_info[1],
                MINIMUM_PYTHON[0],
                MINIMUM_PYTHON[1],
                _install_command(),
            )
        )


def _missing_packages():
    # type: () -> list[str]
    import importlib.util

    return [name for name in REQUIRED_PACKAGES if importlib.util.find_spec(name) is None]


def _check_packages():
    # type: () -> None
    missing = _missing_packages()
    if missing:
        _fail(
            "the Python interpreter {0} lacks the helper's packages ({1}); install them with: {2}".format(
                sys.executable, ", ".join(missing), _install_command()
            )
        )


def _install_command():
    # type: () -> str
    requirements = os.path.join(HELPER_DIR, "requirements.txt")
    return '"{0}" -m pip install -r "{1}"'.format(sys.executable, requirements)


def _keep_own_bytecode():
    # type: () -> None
    """Writes the bytecode of the helper's own modules even under PYTHONDONTWRITEBYTECODE (set in
    many container images): compiling them anew on every call costs more than the rest of a call
    through the worker. Only the helper's folders are concerned; every other module is left to the
    setting."""
    if not sys.dont_write_bytecode:
        return
    try:  # the import system's own module, loaded at start: importlib.machinery would cost ~0.4 ms more
        from _frozen_importlib_external import SOURCE_SUFFIXES, FileFinder, SourceFileLoader
    except ImportError:  # another Python implementation
        from importlib.machinery import SOURCE_SUFFIXES, FileFinder, SourceFileLoader

    class OwnSourceLoader(SourceFileLoader):
        def get_code(self, fullname):
            # type: (str) -> CodeType | None
            saved = sys.dont_write_bytecode
            sys.dont_write_bytecode = False  # compiling one module imports nothing: only its own file is written
            try:
                return super().get_code(fullname)
            finally:
                sys.dont_write_bytecode = saved

    def own_folders(folder):
        # type: (str) -> FileFinder
        if folder in (HELPER_DIR, PACKAGE_DIR) or folder.startswith(PACKAGE_DIR + os.sep):
            return FileFinder(folder, (OwnSourceLoader, SOURCE_SUFFIXES))
        raise ImportError  # any other folder: the usual finders

    sys.path_hooks.insert(0, own_folders)
    sys.path_importer_cache.pop(HELPER_DIR, None)  # looked up at start already, with the usual finder


def _main(search_path):
    # type: (list[str]) -> int
    """Asks the warm worker (chat_helper/worker/) when there is one, else answers in-process."""
    try:
        query = sys.stdin.buffer.read()  # type: bytes | None
    except (AttributeError, OSError, ValueError):
        query = None  # entry.main reports an unreadable stdin as in-process
    if query is not None:
        from chat_helper.worker.client import call_worker

        reply = call_worker(query, search_path, lambda: not _missing_packages())
        if reply is not None:
            sys.stdout.buffer.write(reply.stdout)
            sys.stdout.buffer.flush()
            sys.stderr.buffer.write(reply.stderr)
            sys.stderr.buffer.flush()
            return reply.exit_code
    _check_packages()
    from chat_helper.entry import main

    if query is None:
        return main()
    return main(stdin=io.TextIOWrapper(io.BytesIO(query), encoding="utf-8"))


if __name__ == "__main__":
    _check_python()
    SEARCH_PATH = sys.path[1:]  # before the helper's folder is added: part of a worker's identity
    sys.path.insert(0, HELPER_DIR)
    _keep_own_bytecode()
    if sys.argv[1:2] == ["--worker"]:
        from chat_helper.worker.server import run_worker

        sys.exit(run_worker(sys.argv[2:], SEARCH_PATH))
    sys.exit(_main(SEARCH_PATH))
