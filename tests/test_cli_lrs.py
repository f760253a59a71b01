"""The build command's LRS options: wiring into BuildConfig, usage errors (exit 2), the warning."""

from __future__ import annotations

import base64

import pytest

import builder.build
from builder.cli import main
from builder.config import BuildConfig, LrsConfig

ENDPOINT = ("--lrs-endpoint", "https://lrs.example.org/xapi")
HOMEPAGE = ("--actor-homepage", "https://lms.example.org")
ENV = "COURSEPACK_TEST_LRS_KEY"
WARNING = (
    f"warning: embedding the LRS credential from ${ENV}: every learner who opens the package, "
    "and anyone who gets the zip, can read this LRS credential and use it to write (and, if the "
    "LRS allows it, read) statements; prefer launch parameters or a token broker\n"
)


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[BuildConfig]:
    """The configs the CLI hands to the build (which is not run)."""
    configs: list[BuildConfig] = []
    monkeypatch.setattr(builder.build, "build", lambda config, **_: configs.append(config) or [])
    return configs


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run `coursepack build -q ARGS`; return the exit code and stderr."""
    with pytest.raises(SystemExit) as info:
        main(["build", "-q", *args])
    code = info.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().err


def test_without_lrs_options_there_is_no_lrs(
    capsys: pytest.CaptureFixture[str], seen: list[BuildConfig]
) -> None:
    assert run(capsys) == (0, "")
    assert seen[0].lrs is None


def test_endpoint_and_homepage_reach_the_config_without_a_credential(
    capsys: pytest.CaptureFixture[str], seen: list[BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "key:secret")  # present, but not asked for: never read
    assert run(capsys, *ENDPOINT, *HOMEPAGE) == (0, "")
    assert seen[0].lrs == LrsConfig("https://lrs.example.org/xapi/", "https://lms.example.org")


def test_the_explicit_flag_embeds_the_secret_from_the_environment_and_warns(
    capsys: pytest.CaptureFixture[str], seen: list[BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "key:s3cret")
    code, err = run(capsys, *ENDPOINT, *HOMEPAGE, "--embed-lrs-credential-from-env", ENV)
    assert (code, err) == (0, WARNING)
    lrs = seen[0].lrs
    assert lrs is not None and lrs.embed_credential
    assert lrs.credential == "Basic " + base64.b64encode(b"key:s3cret").decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (ENDPOINT, "Error: --lrs-endpoint needs --actor-homepage (the LMS's account homePage)"),
        (HOMEPAGE, "Error: --actor-homepage needs --lrs-endpoint"),
        (("--embed-lrs-credential-from-env", ENV), "Error: --embed-lrs-credential-from-env "
         "needs --lrs-endpoint"),
        (("--lrs-endpoint", "lrs.example.org/xapi", *HOMEPAGE),
         "Error: --lrs-endpoint: expected an http(s) URL, found 'lrs.example.org/xapi'"),
        (("--lrs-endpoint", "ftp://lrs.example.org/", *HOMEPAGE),
         "Error: --lrs-endpoint: expected an http(s) URL, found 'ftp://lrs.example.org/'"),
        ((*ENDPOINT, "--actor-homepage", "mailto:x@example.org"),
         "Error: --actor-homepage: expected an http(s) URL, found 'mailto:x@example.org'"),
        (("--lrs-endpoint", "https://k:s@lrs.example.org/", *HOMEPAGE),
         "Error: --lrs-endpoint: the URL must not carry a user name or password; pass "
         "credentials at launch (see --embed-lrs-credential-from-env)"),
        (("--lrs-endpoint", "https://lrs.example.org/x?a=1&Token=s3cret", *HOMEPAGE),
         "Error: --lrs-endpoint: expected a URL without a credential, found 'Token=' in its "
         "query string; pass credentials at launch (see --embed-lrs-credential-from-env)"),
        (("--lrs-endpoint", "https://lrs.example.org/x?auth=Basic%20a2V5OnM=", *HOMEPAGE),
         "Error: --lrs-endpoint: expected a URL without a credential, found 'auth=' in its "
         "query string; pass credentials at launch (see --embed-lrs-credential-from-env)"),
        ((*ENDPOINT, "--actor-homepage", "https://lms.example.org/?password=pw"),
         "Error: --actor-homepage: expected a URL without a credential, found 'password=' in "
         "its query string; pass credentials at launch (see --embed-lrs-credential-from-env)"),
        (("--lrs-endpoint", "https://lrs.example.org/xapi?tenant=a", *HOMEPAGE),
         "Error: --lrs-endpoint: expected an endpoint without a query string or fragment "
         "(resources such as 'statements' are appended to it), found "
         "'https://lrs.example.org/xapi?tenant=…'"),
        # No value of a query or fragment is shown: under any name it may be a credential.
        (("--lrs-endpoint", "https://lrs.example.org/xapi?x-api-key=s3cret&v", *HOMEPAGE),
         "Error: --lrs-endpoint: expected an endpoint without a query string or fragment "
         "(resources such as 'statements' are appended to it), found "
         "'https://lrs.example.org/xapi?x-api-key=…&…'"),
        (("--lrs-endpoint", "https://lrs.example.org/xapi/#access_token=s3cret", *HOMEPAGE),
         "Error: --lrs-endpoint: expected a URL without a credential, found 'access_token=' in "
         "its fragment; pass credentials at launch (see --embed-lrs-credential-from-env)"),
        # A user and password are refused as such, before the URL's shape is looked at.
        (("--lrs-endpoint", "ftp://k:s3cret@lrs.example.org:99999/", *HOMEPAGE),
         "Error: --lrs-endpoint: the URL must not carry a user name or password; pass "
         "credentials at launch (see --embed-lrs-credential-from-env)"),
        (("--lrs-endpoint", "https://k:s3cret@[::1/", *HOMEPAGE),
         "Error: --lrs-endpoint: the URL must not carry a user name or password; pass "
         "credentials at launch (see --embed-lrs-credential-from-env)"),
        (("--lrs-endpoint", 'https://lrs.example.org/x"<y>', *HOMEPAGE),
         "Error: --lrs-endpoint: expected an http(s) URL, found 'https://lrs.example.org/x\"<y>'"),
        (("--lrs-endpoint", "https://lrs.example.org:99999/", *HOMEPAGE),
         "Error: --lrs-endpoint: expected an http(s) URL, found 'https://lrs.example.org:99999/'"),
    ],
    ids=["no-homepage", "no-endpoint", "flag-without-endpoint", "no-scheme", "ftp", "mailto",
         "userinfo", "token", "auth", "homepage-password", "query", "query-value-hidden",
         "fragment-token", "userinfo-and-bad-port", "userinfo-and-bad-host", "quotes",
         "bad-port"],
)  # fmt: skip
def test_option_mistakes_exit_2_naming_the_option(
    args: tuple[str, ...],
    message: str,
    capsys: pytest.CaptureFixture[str],
    seen: list[BuildConfig],
) -> None:
    assert run(capsys, *args) == (2, message + "\n")
    assert seen == []


@pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_a_missing_or_empty_variable_exits_2_naming_it(
    value: str | None,
    capsys: pytest.CaptureFixture[str],
    seen: list[BuildConfig],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if value is None:
        monkeypatch.delenv(ENV, raising=False)
    else:
        monkeypatch.setenv(ENV, value)
    code, err = run(capsys, *ENDPOINT, *HOMEPAGE, "--embed-lrs-credential-from-env", ENV)
    assert (code, err) == (
        2,
        f"Error: --embed-lrs-credential-from-env: environment variable {ENV} is not set or empty\n",
    )
    assert seen == []


def test_a_malformed_secret_exits_2_without_echoing_it(
    capsys: pytest.CaptureFixture[str], seen: list[BuildConfig], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV, "just-a-token-XYZ")
    code, err = run(capsys, *ENDPOINT, *HOMEPAGE, "--embed-lrs-credential-from-env", ENV)
    assert (code, err) == (
        2,
        f"Error: ${ENV}: expected 'key:secret' or 'Basic <base64 of key:secret>'\n",
    )
    assert seen == []
