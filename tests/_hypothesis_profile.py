"""Hypothesis settings profiles: derandomized in CI, random locally.

``ci`` (the default when the ``CI`` environment variable is set) derandomizes
Hypothesis, so a CI run draws the same examples every time and a red build is
reproducible; it drops the per-example deadline (the runner is shared) and
prints the reproduction blob of a failure. Choose a profile explicitly with
``HYPOTHESIS_PROFILE=ci|dev|default``.

Import this module before any ``@settings``/``@given`` test runs: from
``tests/conftest.py`` (``import _hypothesis_profile  # noqa: F401``), or from a
test module that uses Hypothesis. Importing it twice is harmless.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)

#: The profile loaded for this run.
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default")
settings.load_profile(PROFILE)
