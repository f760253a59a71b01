"""The cmi5 launcher: the LMS side of cmi5 in Python, with a small API (docs/cmi5.md).

`Launcher(package_zip, lrs=LrsAccount(...))`, `serve(host, port)`, `register(learner)`,
`launch_url(au_id, registration, mode)`. Used by the tests, by `coursepack preview`, and by court
LMSs with no cmi5 support of their own.
"""

from builder.launcher.launcher import Launcher
from builder.launcher.lrs import LrsAccount

__all__ = ["Launcher", "LrsAccount"]
