"""The openai SDK, imported the one way every module here must: with OPENAI_LOG removed first.

The SDK reads OPENAI_LOG when it is imported and would then log to stderr, which Terraform shows as
the error of a call that succeeded.
"""

import os

os.environ.pop("OPENAI_LOG", None)
import openai

__all__ = ["openai"]
