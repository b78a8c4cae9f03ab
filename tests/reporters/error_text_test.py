"""Error messages and tracebacks are printed with every secret masked, and withheld when
that cannot be checked."""
from __future__ import annotations

import random
import string

import pytest

from reposcrub.findings import redact
from reposcrub.model import Blob, Provenance
from reposcrub.reporters import error_text
from reposcrub.reporters.error_text import WITHHELD, error_message, error_traceback
from tests.conftest import ALNUM, UPPER_B32, fake


def password() -> str:
    """A password only its context identifies: no provider prefix, so no rule matches it bare."""
    rng = random.Random()
    return fake("", string.digits, 2, rng) + fake("", string.ascii_lowercase, 6, rng) + "!" + fake("", ALNUM, 6, rng)


def failing_over(blob: Blob, value: str) -> BaseException:
    """The exception a bug raises while `blob` is processed, quoting `value` bare."""
    try:
        raise ValueError(f"cannot handle {value!r}")
    except ValueError as exc:
        return exc


def test_a_provider_token_in_a_message_is_masked():
    key = fake("AKIA", UPPER_B32, 16)
    message = error_message(ValueError(f"cannot handle {key!r}"))
    assert key not in message and message == f"cannot handle '{redact(key)}'"


def test_a_secret_known_only_from_the_data_in_flight_is_masked():
    secret = password()
    blob = Blob(f'DB_PASSWORD = "{secret}"\n'.encode(), Provenance(path="settings.py"))
    exc = failing_over(blob, secret)
    for text in (error_message(exc), error_traceback(exc)):
        assert secret not in text and "cannot handle" in text
    assert "Traceback (most recent call last)" in error_traceback(exc)


def test_a_secret_in_a_cause_is_masked():
    key = fake("ghp_", ALNUM, 36)
    try:
        try:
            int(key)
        except ValueError as inner:
            raise RuntimeError("reading a token failed") from inner
    except RuntimeError as exc:
        text = error_traceback(exc)
    assert key not in text and "reading a token failed" in text and "The above exception" in text


def test_messages_are_withheld_when_the_check_fails(monkeypatch):
    key = fake("AKIA", UPPER_B32, 16)

    def broken(*args, **kwargs):
        raise ValueError(f"engine broke over {key}")

    monkeypatch.setattr("reposcrub.scan.Engine", broken)
    try:
        raise KeyError(key)
    except KeyError as exc:
        message, trace = error_message(exc), error_traceback(exc)
    assert message == WITHHELD
    assert key not in trace and "Traceback (most recent call last)" in trace and f"KeyError: {WITHHELD}" in trace
    assert "test_messages_are_withheld_when_the_check_fails" in trace  # where it failed is still shown


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_user_error_quoting_a_secret_is_one_masked_line(tmp_path, debug, capsys):
    """A ReposcrubError quotes input back (a rule id, a revision range): exit 2, one line, masked."""
    from reposcrub import cli

    key = fake("AKIA", UPPER_B32, 16)
    with pytest.raises(SystemExit) as exit_:
        cli.main([*debug, "scan", str(tmp_path), "--disable", f"secret/{key}"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and key not in err and key[4:-4] not in err
    last = err.strip().splitlines()[-1]
    assert last == f"reposcrub: error: unknown rule id(s) in configuration: secret/{redact(key)}; see `reposcrub rules list`"
    assert ("Traceback" in err) == bool(debug)


def test_the_frame_walk_sees_the_items_of_local_lists():
    batch = [Blob(b"x", Provenance(path="a"))]  # as the scan's batch of blobs
    try:
        raise ValueError("x")
    except ValueError as exc:
        assert any(v is batch[0] for v in error_text._frame_values(exc))
