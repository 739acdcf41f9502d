"""Hypothesis profiles: a fixed one for `make test` and CI, a long exploring one for `make fuzz`.

- ``ci`` (the default): derandomized and without an example database, so every run
  draws the same examples and a green run stays green.
- ``fuzz``: new seeds every run and a hundred times the examples (or
  ``DVAR_FUZZ_SCALE`` times); chosen with ``pytest --hypothesis-profile=fuzz``
  (``make fuzz``).

Tests that set their own example count write it as ``scaled(n)``: ``n`` under the
``ci`` profile, proportionally more under ``fuzz``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_CI_EXAMPLES = 100

settings.register_profile(
    "ci",
    max_examples=_CI_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
)
settings.register_profile(
    "fuzz",
    max_examples=_CI_EXAMPLES * int(os.environ.get("DVAR_FUZZ_SCALE", "100")),
    derandomize=False,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def scaled(n: int) -> int:
    """``n`` examples under the ``ci`` profile, and as many more as the loaded profile asks."""
    return max(1, n * settings().max_examples // _CI_EXAMPLES)
