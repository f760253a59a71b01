"""The runtime outbox delivers every statement exactly once to a real LRS, through faults.

Each test runs xapi/queue.js + xapi/client.js in Node (driver.mjs) against Ralph on 127.0.0.1
and counts the stored statements by id. The browser runs, a whole course in Chromium and the
browser context going offline then online, are tests/browser/test_xapi_run.py and
test_xapi_faults.py.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from lrs import Lrs, basic_auth
from node_driver import Drivers
from proxy import FaultyLrs

OUTBOX_KEY = "coursepack:xapi-outbox:https://example.org/courses/delivery-test"


def assert_exactly_once(lrs: Lrs, ids: list[str]) -> None:
    """Every id in `ids` is stored once, and nothing else is stored."""
    stored = Counter(lrs.statement_ids())
    duplicates = sorted(i for i, n in stored.items() if n > 1)
    assert duplicates == [], f"stored more than once: {duplicates[:5]}"
    missing = sorted(set(ids) - set(stored))
    assert missing == [], f"{len(missing)} never arrived, e.g. {missing[:3]}"
    extra = sorted(set(stored) - set(ids))
    assert extra == [], f"unexpected statements: {extra[:3]}"
    assert len(ids) == len(set(ids))


def outbox(path: Path) -> list[dict[str, object]]:
    """The statements left in a driver's outbox file."""
    if not path.exists():
        return []
    items: list[dict[str, object]] = json.loads(json.loads(path.read_text()).get(OUTBOX_KEY, "[]"))
    return items


def test_plain_lrs_gets_every_statement_once(lrs: Lrs, drivers: Drivers) -> None:
    report = drivers.run(endpoint=lrs.endpoint, auth=lrs.auth, count=300, maxBatch=50)
    assert report["remaining"] == 0
    assert report["statuses"] == {"200": 6}
    assert_exactly_once(lrs, report["enqueued"])
    assert outbox(drivers.outbox) == []


def test_lrs_stopped_mid_course_and_restarted(lrs: Lrs, drivers: Drivers) -> None:
    proc = drivers.start(
        endpoint=lrs.endpoint,
        auth=lrs.auth,
        count=600,
        maxBatch=10,
        progress=True,
        sendDelayMs=10,
        baseDelayMs=100,
        maxDelayMs=1000,
        deadlineMs=90000,
    )
    assert proc.stdout is not None
    while json.loads(proc.stdout.readline()).get("sent", 0) < 5:
        pass
    lrs.stop()
    time.sleep(1.5)
    lrs.start()
    report = drivers.finish(proc)
    assert report["remaining"] == 0
    assert report["statuses"].get("0", 0) > 0, "the outage was never seen by the client"
    assert_exactly_once(lrs, report["enqueued"])


def test_faulty_proxy_500_503_and_timeouts(faulty_lrs: FaultyLrs, drivers: Drivers) -> None:
    report = drivers.run(
        endpoint=faulty_lrs.endpoint,
        auth=faulty_lrs.lrs.auth,
        count=300,
        maxBatch=10,
        timeoutMs=1000,
        baseDelayMs=50,
        maxDelayMs=400,
        deadlineMs=100000,
    )
    stats = faulty_lrs.proxy.stats
    assert report["remaining"] == 0, report
    # Every kind of fault happened, including responses lost after the LRS stored the batch.
    assert all(stats[f] > 0 for f in ("500", "503", "hang-before", "hang-after")), stats
    assert report["statuses"].get("0", 0) == stats["hang-before"] + stats["hang-after"]
    assert_exactly_once(faulty_lrs.lrs, report["enqueued"])


def test_tab_closed_with_full_outbox_next_launch_flushes(lrs: Lrs, drivers: Drivers) -> None:
    # The first launch is killed right after its second batch reached the LRS, before the
    # outbox could remove it: that batch is both stored and still queued.
    first = drivers.run(
        endpoint=lrs.endpoint, auth=lrs.auth, count=200, maxBatch=50, exitAfterSends=2
    )
    assert first["exited"] is True
    assert len(outbox(drivers.outbox)) == 150
    assert len(lrs.statement_ids()) == 100
    second = drivers.run(endpoint=lrs.endpoint, auth=lrs.auth, count=0, maxBatch=50)
    assert second["remaining"] == 0
    assert second["enqueued"] == []
    assert_exactly_once(lrs, first["enqueued"])
    assert outbox(drivers.outbox) == []


def test_wrong_credentials_pause_and_keep_everything(lrs: Lrs, drivers: Drivers) -> None:
    report = drivers.run(endpoint=lrs.endpoint, auth=basic_auth(password="wrong"), count=20)
    assert report["authProblem"] == 401
    assert report["remaining"] == 20
    assert report["sends"] == 1
    assert lrs.statement_ids() == []
