"""Shared fixtures: where the fixture courses and the shared material are, and golden updates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the files under tests/golden/ instead of comparing with them.",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether the run was asked to rewrite the golden files."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """`tests/fixtures/`."""
    return TESTS / "fixtures"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the repository (official XSDs, validator tool); skip if it is absent."""
    shared = TESTS.parents[1] / "shared"
    if not (shared / "schemas").is_dir():
        reason = f"{shared}/schemas not found: the official XSDs live beside the repo (in CI)"
        if os.environ.get("CI"):
            pytest.fail(reason + "; CI must have them, so this is a failure there")
        pytest.skip(reason)
    return shared
