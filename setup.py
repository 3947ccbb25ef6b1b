"""Build hook: the top-level samples/ and templates/ ship inside the package as bulkops/_data/.

Everything else about the build lives in pyproject.toml. The folders stay at the top of the
checkout (where the project's tools and docs expect them); a build copies them into the built
package, so `pip install` of the project, its sdist or its wheel can run `bulkops demo` from any
folder. An editable install reads them from the checkout instead (bulkops/_data/__init__.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Folder name → what of it is not data (the script that regenerates the samples is a tool of the checkout).
SHIPPED = {"samples": ("*.py", "__pycache__", "*.pyc"), "templates": ("__pycache__", "*.pyc")}


class BuildWithData(build_py):
    """build_py, plus the shipped folders copied into the built bulkops/_data/."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "bulkops" / "_data"
        for name, ignored in SHIPPED.items():
            source = ROOT / name
            if not source.is_dir():
                raise FileNotFoundError(f"{source} is missing: the package would ship without it")
            # A build folder left by an earlier build may hold files since removed from the source.
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(*ignored))


setup(cmdclass={"build_py": BuildWithData})
