"""LRS settings: the config record, option conversion and the course-data block for the runtime."""

from __future__ import annotations

import base64

import pytest

from builder.config import LrsConfig, lrs_config
from builder.errors import UsageError
from builder.lrs import lrs_data

BASIC = "Basic " + base64.b64encode(b"key:secret").decode()


def test_no_lrs_means_no_course_data() -> None:
    assert lrs_data(None) is None


def test_course_data_has_no_auth_unless_embedding_was_asked_for() -> None:
    assert lrs_data(LrsConfig("https://lrs.example.org/", "https://lms.example.org")) == {
        "endpoint": "https://lrs.example.org/",
        "actorHomePage": "https://lms.example.org",
    }
    embedded = LrsConfig("https://lrs.example.org/", "https://lms.example.org", True, BASIC)
    assert lrs_data(embedded) == {
        "endpoint": "https://lrs.example.org/",
        "actorHomePage": "https://lms.example.org",
        "auth": BASIC,
    }


def test_the_credential_never_shows_in_repr_and_needs_the_flag() -> None:
    embedded = LrsConfig("https://lrs.example.org/", "https://lms.example.org", True, BASIC)
    assert BASIC.split()[1] not in repr(embedded)
    with pytest.raises(ValueError, match="exactly when embed_credential"):
        LrsConfig("https://lrs.example.org/", "https://lms.example.org", False, BASIC)
    with pytest.raises(ValueError, match="exactly when embed_credential"):
        LrsConfig("https://lrs.example.org/", "https://lms.example.org", True, None)


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("https://lrs.example.org/xapi", "https://lrs.example.org/xapi/"),
        ("http://127.0.0.1:8080/xapi/", "http://127.0.0.1:8080/xapi/"),
    ],
)
def test_the_endpoint_is_normalised_to_end_with_a_slash(endpoint: str, expected: str) -> None:
    config = lrs_config(endpoint, "https://lms.example.org", None, {})
    assert config is not None and config.endpoint == expected


@pytest.mark.parametrize(
    "secret", ["key:secret", f"  {BASIC}  ", BASIC], ids=["pair", "padded-header", "header"]
)
def test_the_secret_may_be_a_pair_or_a_basic_value(secret: str) -> None:
    config = lrs_config("https://lrs/", "https://lms/", "LRS_SECRET", {"LRS_SECRET": secret})
    assert config is not None and config.credential == BASIC


@pytest.mark.parametrize(
    "secret", ["token", "Basic !!!", "Basic " + base64.b64encode(b"nocolon").decode()]
)
def test_other_secrets_are_refused_without_echoing_them(secret: str) -> None:
    with pytest.raises(UsageError) as info:
        lrs_config("https://lrs/", "https://lms/", "LRS_SECRET", {"LRS_SECRET": secret})
    assert secret.split()[-1] not in str(info.value)
    assert "$LRS_SECRET" in str(info.value)
