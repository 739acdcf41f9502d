"""Settings shared by every test: the Hypothesis profile (see tests/profiles.py)."""

from __future__ import annotations

from hypothesis import settings

import tests.profiles  # noqa: F401 - registers the profiles


def pytest_configure(config) -> None:
    if not config.getoption("hypothesis_profile", default=None):
        settings.load_profile("ci")
