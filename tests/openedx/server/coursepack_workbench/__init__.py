"""Our side of the xblock-sdk workbench: settings, a runtime subclass and views (no SDK code).

This package is imported only by the workbench process (`.venv-openedx`, see
`scripts/setup-openedx.sh`); the tests drive it from `tests/openedx/workbench.py`.
"""
