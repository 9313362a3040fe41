"""dilemma lab in a checkout: ``streamlit run app.py`` (the same as ``dilemma lab``).

The lab lives in the package (:mod:`dilemma.lab`) so that an installed wheel
has it; this file only runs its entry script.
"""

import runpy

from dilemma.cli.lab import app_path

runpy.run_path(str(app_path()), run_name="__main__")
