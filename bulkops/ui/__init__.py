"""`bulkops ui`: a local web app over the Python API, for people who would rather not use a terminal:
choose the platform and account, drop the job's files, see every problem on the sheet, the plan, a
push with live progress and Cancel, the results workbook, Export and Report (docs/ui.md).

It sits above the public API (`bulkops.validate`, `plan`, `apush`, `export`, `report`, `bulkops.sandbox`) and
below the CLI, and listens on 127.0.0.1 only, behind a token, a session cookie and CSRF checks.
"""

from bulkops.ui._app import UiConfig, create_app
from bulkops.ui._serve import serve_ui

__all__ = ["UiConfig", "create_app", "serve_ui"]
