"""What the tests, the bench and `make demo-local` are built from: the loopback OpenAI-compatible server,
the S3-compatible store, the helper run as Terraform runs it, Terraform and OpenTofu themselves, the
toolchain's manifest and the session's secret canary. Fixtures (tests/conftest.py) only assemble these."""
