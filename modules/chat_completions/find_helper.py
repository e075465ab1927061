"""Run instead of helper/main.py by a module folder that Terraform copied alone (the second module block
of one absolute-path source, which Terraform installs like a package): finds the original folder in
.terraform/modules/modules.json and runs its helper/main.py as if Terraform had started it.

Each module folder holds a copy of this file (as find_helper.py), written by `make docs` from this one;
`make lint` fails when a copy differs. Written for any Python 3, like main.py.
    python3 <module folder>/find_helper.py MODULE_NAME [ARGUMENTS OF main.py...]
"""

import json
import os
import sys


def _original_helper(module_dir, modules_json):
    # type: (str, str) -> str
    """helper/main.py two folders above the source the copied module came from, or "" when not found."""
    try:
        with open(modules_json) as handle:
            modules = json.load(handle)["Modules"]
        source = next(m["Source"] for m in modules if os.path.abspath(m["Dir"]) == module_dir)
        return os.path.abspath(os.path.join(source.replace("file://", "", 1), "..", "..", "helper", "main.py"))
    except (OSError, ValueError, LookupError, AttributeError, TypeError, StopIteration):
        return ""


def main():
    # type: () -> None
    module_dir, name = os.path.dirname(os.path.abspath(__file__)), sys.argv[1]
    data_dir = os.environ.get("TF_DATA_DIR") or ".terraform"
    helper = _original_helper(module_dir, os.path.join(data_dir, "modules", "modules.json"))
    if not helper or not os.path.isfile(helper):
        message = (
            "{0} cannot find its helper: there is no helper/main.py two folders above {1}. Point source at the "
            "module inside the whole repository (a relative or absolute path to <checkout>/modules/{0}, or a git "
            "URL or archive ending //modules/{0}), not at a copy of the module folder alone.".format(name, module_dir)
        )
        sys.exit(message)
    sys.argv[:] = [helper, *sys.argv[2:]]
    sys.path[0] = os.path.dirname(helper)
    with open(helper, "rb") as handle:
        code = compile(handle.read(), helper, "exec")
    exec(code, {"__name__": "__main__", "__file__": helper})


if __name__ == "__main__":
    main()
