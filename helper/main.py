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

    from chat_helper.worker.wire import Reply  # noqa: F401 (used in a type comment)

MINIMUM_PYTHON = (3, 10)
HELPER_DIR = os.path.dirname(os.path.abspath(__file__))
PACKAGE_DIR = os.path.join(HELPER_DIR, "chat_helper")
REQUIRED_PACKAGES = ("openai", "jsonschema", "tenacity")
PACKAGES_VARIABLE = "CHAT_HELPER_PYTHON_PACKAGES"  # the python_packages input, for a whole machine or CI
PACKAGES_CHOICES = ("provision", "interpreter")
MODULES = ("chat_completion", "chat_completions", "response", "stored_completion", "stored_response")
# Who runs the helper (the module's --module=NAME): the name main.py's own lines start with. A failure stays
# lines on stderr and exit status 1, so that Terraform names the failing block ("with module.x["k"]...");
# a postcondition could show the line higher up, but under the module's location alone (docs/faults.md).
CALLER = {"module": ""}


def _name():
    # type: () -> str
    return CALLER["module"] or "terraform-openai-chat"


def _fail(message, name=None):
    # type: (str, str | None) -> None
    line = (name or _name()) + ": " + message + "\n"
    sys.exit(_report(1, b"", line.encode("utf-8", "replace")))


def _report(exit_code, stdout, stderr):
    # type: (int, bytes, bytes) -> int
    """Writes a call's outputs as they are."""
    sys.stdout.buffer.write(stdout)
    sys.stdout.buffer.flush()
    sys.stderr.buffer.write(stderr)
    sys.stderr.buffer.flush()
    return exit_code


def _note_caller(arguments):
    # type: (list[str]) -> None
    """--module=NAME: the module whose data source runs the helper (its program passes it)."""
    for argument in arguments:
        name, _, value = argument.partition("=")
        if name == "--module" and value in MODULES:
            CALLER["module"] = value


def _check_python():
    # type: () -> None
    if sys.version_info < MINIMUM_PYTHON:
        _fail(
            "the Python interpreter {0} is {1}.{2}; the helper needs {3}.{4} or newer: install one and set "
            "the module's python input to it".format(
                sys.executable, sys.version_info[0], sys.version_info[1], MINIMUM_PYTHON[0], MINIMUM_PYTHON[1]
            )
        )


def _missing_packages():
    # type: () -> list[str]
    import importlib.util

    return [name for name in REQUIRED_PACKAGES if importlib.util.find_spec(name) is None]


def _check_packages():
    # type: () -> None
    """With python_packages = "interpreter": the interpreter must have the packages itself."""
    missing = _missing_packages()
    if missing:
        _fail(
            "the Python interpreter {0} lacks the helper's packages ({1}) and python_packages is "
            '"interpreter"; leave python_packages unset so that the module sets up its own environment, or '
            "point python at an interpreter that has them, such as a virtual environment made with: "
            '"{0}" -m venv DIR && DIR/bin/pip install -r "{2}"'.format(
                sys.executable, ", ".join(missing), os.path.join(HELPER_DIR, "requirements.lock")
            )
        )


def _options(arguments):
    # type: (list[str]) -> tuple[str, str | None, int]
    """python_packages and python_env_dir, as the module passes them (else from the environment), and the
    process that started the helper: Terraform's provider, or the helper that handed its call over."""
    packages = os.environ.get(PACKAGES_VARIABLE, "").strip() or "provision"
    env_dir = None
    parent_pid = os.getppid()
    for argument in arguments:
        name, _, value = argument.partition("=")
        if name == "--python-packages":
            packages = value
        elif name == "--python-env-dir":
            env_dir = value
        elif name == "--parent-pid" and value.isdigit():
            parent_pid = int(value)
    if packages not in PACKAGES_CHOICES:
        _fail('python_packages must be "provision" or "interpreter", not {0!r}'.format(packages))
    if env_dir is not None and not env_dir.strip():
        _fail("python_env_dir must not be empty (leave it null for the default)")
    return packages, env_dir, parent_pid


def _private_environment(env_dir):
    # type: (str | None) -> str
    """The folder of the helper's own environment, made first if this is the machine's first call."""
    from chat_helper.python_env.locate import environment_name, environments_root, ready_environment

    root = environments_root(env_dir)
    try:
        name = environment_name()
    except OSError as error:
        _fail(
            "cannot read the helper's {0} ({1}): the module's copy of the helper is incomplete; point the "
            "module's source at the whole repository (or a release archive of it)".format(
                os.path.join(HELPER_DIR, "requirements.lock"), error.strerror
            )
        )
        raise
    ready = ready_environment(root, name)
    if ready is not None:
        return ready
    from chat_helper.python_env.provision import ProvisionError, provision

    def progress(message):
        # type: (str) -> None
        sys.stderr.write(_name() + ": " + message + "\n")  # shown by Terraform only with TF_LOG
        sys.stderr.flush()

    try:
        return provision(root, name, progress)
    except ProvisionError as error:
        _fail(str(error))
        raise


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


def _main(search_path, packages, env_dir, parent_pid):
    # type: (list[str], str, str | None, int) -> int
    """Asks the warm worker (chat_helper/worker/) when there is one, else answers in-process. Unless
    python_packages = "interpreter", the answer comes from the helper's private environment."""
    try:
        query = sys.stdin.buffer.read()  # type: bytes | None
    except (AttributeError, OSError, ValueError):
        query = None  # entry.main reports an unreadable stdin as in-process
    python, prefix = sys.executable, sys.prefix
    if packages == "provision" and query is not None:
        from chat_helper.python_env.locate import environment_python, is_private_environment

        if not is_private_environment(sys.prefix):
            prefix = _private_environment(env_dir)
            python = environment_python(prefix)
    if query is not None:
        from chat_helper.worker.client import call_worker

        def may_start():
            # type: () -> bool
            return python != sys.executable or not _missing_packages()  # the private environment has them

        reply = call_worker(query, python, prefix, search_path, may_start, parent_pid)
        if reply is None and python != sys.executable:
            reply = _run_in(python, query, parent_pid)  # no worker: in-process, but in the private environment
        if reply is not None:
            return _report(reply.exit_code, reply.stdout, reply.stderr)
    _check_packages()
    from chat_helper.core.run import Run, calling_provider
    from chat_helper.entry import main

    run = Run(parent_pid, calling_provider())
    if query is None:
        return main(run=run)
    return main(stdin=io.TextIOWrapper(io.BytesIO(query), encoding="utf-8"), run=run)


def _spend(arguments):
    # type: (list[str]) -> int
    """helper/main.py spend [options]: in the helper's private environment, as a query would run (botocore
    reads a team's store), unless python_packages is "interpreter"."""
    packages = os.environ.get(PACKAGES_VARIABLE, "").strip() or "provision"
    if packages == "provision":
        from chat_helper.python_env.locate import environment_python, is_private_environment

        if not is_private_environment(sys.prefix):
            python = environment_python(_private_environment(None))
            os.environ[PACKAGES_VARIABLE] = "interpreter"
            os.execv(python, [python, os.path.abspath(__file__), "spend", *arguments])
    _check_packages()
    from chat_helper.commands.spend import main

    return main(arguments)


def _prepare(arguments):
    # type: (list[str]) -> int
    """helper/main.py prepare [--python-env-dir=DIR]: makes the helper's private environment now, the one
    the first plan on this machine would otherwise make (and wait for), and prints its folder. Run it
    with the interpreter the module runs (python3, or the python input)."""
    packages, env_dir, _ = _options(arguments)
    if packages == "interpreter":
        _check_packages()
        sys.stdout.write(sys.prefix + "\n")
        return 0
    sys.stdout.write(_private_environment(env_dir) + "\n")
    return 0


def _run_in(python, query, parent_pid):
    # type: (str, bytes, int) -> Reply
    """Runs this script under python with the query on stdin, as Terraform would have (and as part of the
    same run: its parent pid)."""
    import subprocess

    from chat_helper.worker.client import interpreter_flags
    from chat_helper.worker.wire import Reply

    command = [
        python,
        *interpreter_flags(),
        os.path.abspath(__file__),
        "--python-packages=interpreter",
        "--parent-pid={0}".format(parent_pid),
    ]
    if CALLER["module"]:
        command.append("--module=" + CALLER["module"])
    completed = subprocess.run(command, input=query, capture_output=True, check=False)
    return Reply(completed.returncode, completed.stdout, completed.stderr)


def _run(arguments, search_path):
    # type: (list[str], list[str]) -> int
    if arguments[:1] == ["--worker"]:
        from chat_helper.worker.server import run_worker

        return run_worker(arguments[1:], search_path)
    if arguments[:1] == ["spend"]:
        return _spend(arguments[1:])
    if arguments[:1] == ["prepare"]:
        return _prepare(arguments[1:])
    packages, env_dir, parent_pid = _options(arguments)
    return _main(search_path, packages, env_dir, parent_pid)


if __name__ == "__main__":
    _note_caller(sys.argv[1:])
    _check_python()
    SEARCH_PATH = sys.path[1:]  # before the helper's folder is added: part of a worker's identity
    sys.path.insert(0, HELPER_DIR)
    _keep_own_bytecode()
    try:
        CODE = _run(sys.argv[1:], SEARCH_PATH)
    except Exception as error:  # the last guard: never a traceback on a user's screen
        from chat_helper.core.redaction import safe_line

        NAME = "spend" if sys.argv[1:2] == ["spend"] else None
        _fail(safe_line("internal error ({0}: {1}); please report it".format(type(error).__name__, error)), NAME)
        raise
    sys.exit(CODE)
