"""Signatures on the clinic gateway's webhooks, both directions (backcare_channels.signing)."""

import hashlib
import hmac

import pytest

from backcare_channels.signing import (
    MissingSecret,
    check,
    secret_from_environment,
    signed_headers,
)

SECRET = "test-secret-for-the-clinic-gateway"
BODY = '{"sender": "sms-1", "message": "¡Hola! me duele la espalda"}'.encode()
NOW = 1_800_000_000


def test_a_receiver_can_check_the_signature_with_hmac_alone():
    """What docs/channels.md tells the clinic to compute: HMAC-SHA256 of v1:timestamp:body."""
    headers = signed_headers(SECRET, BODY, now=NOW)
    assert headers["X-BackCare-Timestamp"] == str(NOW)
    expected = hmac.new(SECRET.encode(), f"v1:{NOW}:".encode() + BODY, hashlib.sha256).hexdigest()
    assert headers["X-BackCare-Signature"] == f"v1={expected}"
    assert check(SECRET, headers, BODY, now=NOW + 10) is None
    # Header names are case-insensitive, as HTTP says.
    assert check(SECRET, {k.lower(): v for k, v in headers.items()}, BODY, now=NOW) is None


@pytest.mark.parametrize("change, status", [
    (lambda h, b: ({}, b), 401),                                          # not signed
    (lambda h, b: ({"X-BackCare-Signature": h["X-BackCare-Signature"]}, b), 401),
    (lambda h, b: (h, b.replace(b"sms-1", b"sms-2")), 403),              # another patient
    (lambda h, b: ({**h, "X-BackCare-Signature": "v1=" + "0" * 64}, b), 403),
    (lambda h, b: ({**h, "X-BackCare-Timestamp": str(NOW + 1)}, b), 403),  # moved in time
    (lambda h, b: ({**h, "X-BackCare-Timestamp": "yesterday"}, b), 403),
])
def test_a_changed_or_missing_signature_is_refused(change, status):
    headers, body = change(signed_headers(SECRET, BODY, now=NOW), BODY)
    refused = check(SECRET, headers, body, now=NOW)
    assert refused is not None and refused[0] == status


def test_another_secret_is_refused():
    assert check(SECRET, signed_headers("someone-elses-secret-123", BODY, now=NOW), BODY,
                 now=NOW)[0] == 403


@pytest.mark.parametrize("seconds, accepted", [(299, True), (-299, True), (301, False),
                                               (-301, False), (3600, False)])
def test_only_a_recent_signature_counts(seconds, accepted):
    """A captured request cannot be replayed more than five minutes later (nor dated ahead)."""
    headers = signed_headers(SECRET, BODY, now=NOW)
    assert (check(SECRET, headers, BODY, now=NOW + seconds) is None) == accepted


def test_the_secret_comes_from_the_environment_or_a_file(tmp_path):
    assert secret_from_environment({"CALLBACK_SECRET": f" {SECRET}\n"}) == SECRET
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    assert secret_from_environment({"CALLBACK_SECRET": "", "CALLBACK_SECRET_FILE":
                                    str(secret_file)}) == SECRET
    with pytest.raises(MissingSecret, match="set CALLBACK_SECRET or CALLBACK_SECRET_FILE"):
        secret_from_environment({})
    with pytest.raises(MissingSecret, match="cannot be read"):
        secret_from_environment({"CALLBACK_SECRET_FILE": str(tmp_path / "missing")})
    with pytest.raises(MissingSecret, match="at least 16"):
        secret_from_environment({"CALLBACK_SECRET": "123456"})
