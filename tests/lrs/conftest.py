"""Fixtures for the delivery tests against a real LRS (Ralph) on 127.0.0.1.

`lrs`: a fresh Ralph with its own data directory and credentials. `faulty_lrs`: the same LRS
behind a seeded fault-injecting proxy. `drivers`: runs tests/lrs/driver.mjs (the real runtime
outbox in Node). Every process and server is stopped in teardown, also when a test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lrs import Lrs, running_lrs
from node_driver import Drivers
from proxy import FaultProxy, FaultyLrs


@pytest.fixture
def lrs(tmp_path: Path) -> Iterator[Lrs]:
    """A running Ralph LRS with a fresh data directory."""
    with running_lrs(tmp_path / "lrs") as server:
        yield server


@pytest.fixture
def faulty_lrs(lrs: Lrs) -> Iterator[FaultyLrs]:
    """The LRS behind a proxy failing 30% of requests (500, 503, hangs), seeded."""
    with FaultProxy(lrs.port, rate=0.3, seed=20240501, hang_seconds=2.0) as proxy:
        yield FaultyLrs(lrs, proxy)


@pytest.fixture
def drivers(tmp_path: Path) -> Iterator[Drivers]:
    """Driver processes sharing one outbox file in tmp_path; all killed in teardown."""
    runner = Drivers(tmp_path / "outbox.json")
    try:
        yield runner
    finally:
        runner.reap()
