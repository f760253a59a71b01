"""Property-based fuzzing of the build (hypothesis): mutated course trees, in process.

Whatever the mutation, the build either raises one of the project's own errors (a clear message,
nothing written) or exits 0 with packages that `validate` passes, with the official XSDs; and
each case stays under a generous time and memory budget (speed is measured in bench/).
Derandomized, so CI runs the same cases every time.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

from fuzz_mutations import HOSTILE_BLOCKS, HOSTILE_NAMES, HOSTILE_RAW, OPS, Mutation, apply_mutation
from hostile_courses import copy_minimal
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from builder.build import build
from builder.config import BuildConfig
from builder.errors import BuilderError
from builder.validate import validate_package

#: Per case: generous, since tracemalloc slows Python down (the bench measures real speed).
SECONDS_PER_CASE = 20
PEAK_BYTES_PER_CASE = 256 * 1024**2
TARGETS = ("web", "scorm12", "scorm2004-4th", "xapi")


def _yaml_float(x: float) -> str:
    if math.isnan(x):
        return ".nan"
    return (".inf" if x > 0 else "-.inf") if math.isinf(x) else repr(x)


VALUES = st.one_of(
    st.sampled_from(HOSTILE_RAW + HOSTILE_BLOCKS),
    st.from_regex(r"[A-Za-z][A-Za-z ,.]{0,20}", fullmatch=True),  # benign text: builds go on
    st.text(max_size=16).map(json.dumps),  # a quoted scalar with any character, as an escape
    st.text(max_size=12),  # raw text: may be any YAML at all
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats().map(_yaml_float),
)
NAMES = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")),
)
MUTATIONS = st.lists(
    st.builds(
        Mutation,
        file=st.integers(0, 30),
        op=st.sampled_from(OPS),
        line=st.integers(0, 200),
        value=VALUES,
        name=NAMES,
    ),
    min_size=1,
    max_size=3,
)


def _check_case(mutations: list[Mutation], schemas: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        course = copy_minimal(Path(tmp) / "course")
        for m in mutations:
            if m.name in (b".", b".."):
                continue
            apply_mutation(course, m)
        out = Path(tmp) / "out"
        tracemalloc.start()
        started = time.perf_counter()
        try:
            built = build(BuildConfig(source_dir=course, out_dir=out, targets=TARGETS))
        except BuilderError as exc:
            # The project's own error: a message, never a traceback, and nothing written.
            message = str(exc)
            assert message and "Traceback" not in message
            assert not out.exists() or not any(out.iterdir())
            event("refused with the project's error")
            built = []
        finally:
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert elapsed < SECONDS_PER_CASE, f"{elapsed:.1f} s"
        assert peak < PEAK_BYTES_PER_CASE, f"{peak / 1024**2:.0f} MiB"
        # Exit 0 means valid: every package passes `validate`, with the official schemas.
        if built:
            event("built")
        for b in built:
            if b.target != "web":  # a web package has no manifest to validate
                report = validate_package(b.path, schemas)
                assert report.errors == (), (b.path.name, report.errors)


@settings(
    max_examples=250,  # about 30 s; the bench runs many more
    deadline=timedelta(seconds=SECONDS_PER_CASE * 2),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutations=MUTATIONS)
def test_fuzzed_courses_build_cleanly_or_fail_cleanly(
    mutations: list[Mutation], shared_dir: Path
) -> None:
    _check_case(mutations, shared_dir / "schemas")
