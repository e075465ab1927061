"""Entry point run by the module's data "external": python3 helper/main.py.

Written for any Python 3 so that an old or bare interpreter gets an actionable message, not a
SyntaxError or ImportError.
"""

import importlib.util
import os
import sys

MINIMUM_PYTHON = (3, 10)
HELPER_DIR = os.path.dirname(os.path.abspath(__file__))
REQUIRED_PACKAGES = ("openai", "jsonschema", "tenacity")


def _fail(message):
    # type: (str) -> None
    sys.stderr.write("chat_completion: " + message + "\n")
    sys.exit(1)


def _check_interpreter():
    # type: () -> None
    requirements = os.path.join(HELPER_DIR, "requirements.txt")
    install = '"{0}" -m pip install -r "{1}"'.format(sys.executable, requirements)
    if sys.version_info < MINIMUM_PYTHON:
        _fail(
            "the Python interpreter {0} is {1}.{2}; the helper needs {3}.{4} or newer: set the "
            "module's python input to a newer interpreter, then run: {5}".format(
                sys.executable,
                sys.version_info[0],
                sys.version_info[1],
                MINIMUM_PYTHON[0],
                MINIMUM_PYTHON[1],
                install,
            )
        )
    missing = [name for name in REQUIRED_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        _fail(
            "the Python interpreter {0} lacks the helper's packages ({1}); install them with: {2}".format(
                sys.executable, ", ".join(missing), install
            )
        )


if __name__ == "__main__":
    _check_interpreter()
    sys.path.insert(0, HELPER_DIR)
    from chat_helper.cli import main

    sys.exit(main())
