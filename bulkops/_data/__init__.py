"""The folders that ship with bulkops: `samples` (the workbooks `bulkops demo` pushes, with their media)
and `templates` (the blank templates, as committed).

An installed package holds them here, as package data (setup.py copies them in when the package is
built). A checkout, or an editable install of one, keeps them at the top of the checkout instead.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from bulkops._exceptions import ConfigError

NAMES = ("samples", "templates")
_CHECKOUT = Path(__file__).resolve().parent.parent.parent


def shipped_folder(name: str) -> Path:
    """The folder `name` (one of NAMES): the package's own copy if it has one, else the checkout's."""
    if name not in NAMES:
        raise ValueError(f"no shipped folder {name!r}; there are: {', '.join(NAMES)}")
    packaged = files(__name__) / name
    if packaged.is_dir():
        if not isinstance(packaged, Path):
            # A package imported from a zip archive: the demo needs files on disk (media paths, journals).
            raise ConfigError(f"bulkops's {name} are inside an archive; install bulkops as a folder (pip install)")
        return packaged
    return _CHECKOUT / name
