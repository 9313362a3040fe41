"""Tests that need a real service (a browser, a PostgreSQL server, nginx).

Without the service such a test is skipped with the reason; with
``DILEMMA_REQUIRE_<SERVICE>=1`` (set by ``.ci/run``) it fails instead, so CI
cannot pass by skipping.
"""

from __future__ import annotations

import os

import pytest


def unavailable(service: str, reason: str):
    """Skip the test with ``reason``, or fail it under ``DILEMMA_REQUIRE_<SERVICE>=1``."""
    var = f"DILEMMA_REQUIRE_{service.upper()}"
    if os.environ.get(var) == "1":
        pytest.fail(f"{var}=1 but {reason}")
    pytest.skip(reason)
