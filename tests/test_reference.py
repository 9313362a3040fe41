"""The generated reference pages (docs/reference/) match the code."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_reference_pages_are_up_to_date():
    proc = subprocess.run([sys.executable, "scripts/gen_reference.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, (proc.stderr + "\nrun: python scripts/gen_reference.py")


def test_every_public_module_is_in_the_reference():
    import importlib
    import pkgutil

    import dilemma

    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_reference import MODULES

    public = []
    for info in pkgutil.walk_packages(dilemma.__path__, "dilemma."):
        if info.name.split(".")[-1].startswith("_") or info.name.startswith(("dilemma.lab.", "dilemma.cli.")):
            continue
        mod = importlib.import_module(info.name)
        if getattr(mod, "__all__", None):
            public.append(info.name)
    missing = sorted(set(public) - set(MODULES))
    assert not missing, f"add these modules to scripts/gen_reference.py MODULES: {missing}"
