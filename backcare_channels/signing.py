"""Signed webhooks between BackCare and a clinic's gateway (HMAC-SHA256, as Slack and Stripe do).

Both directions carry two headers:

- ``X-BackCare-Timestamp``: seconds since the epoch when the request was made;
- ``X-BackCare-Signature``: ``v1=`` and the hex HMAC-SHA256, keyed with the shared
  secret, of ``v1:<timestamp>:`` followed by the raw request body.

The receiver recomputes the signature over the bytes it received, compares in
constant time and refuses a timestamp more than five minutes away from its own
clock, so a captured request cannot be replayed later. The secret comes from
the environment (``CALLBACK_SECRET``) or a file (``CALLBACK_SECRET_FILE``),
never from credentials.yml or a command line.
"""

import hashlib
import hmac
import os
import time
from pathlib import Path
from typing import Dict, Mapping, Optional, Text, Tuple

TIMESTAMP_HEADER = "X-BackCare-Timestamp"
SIGNATURE_HEADER = "X-BackCare-Signature"
VERSION = "v1"
TOLERANCE_SECONDS = 300
SECRET_ENV = "CALLBACK_SECRET"
SECRET_FILE_ENV = "CALLBACK_SECRET_FILE"
MIN_SECRET_CHARS = 16


class MissingSecret(Exception):
    """No usable shared secret is configured."""


def signature(secret: Text, timestamp: Text, body: bytes) -> Text:
    """The ``X-BackCare-Signature`` value for this body at this timestamp."""
    signed = f"{VERSION}:{timestamp}:".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def signed_headers(secret: Text, body: bytes, now: Optional[float] = None) -> Dict[Text, Text]:
    """The two headers a sender adds to a request with this body."""
    timestamp = str(int(time.time() if now is None else now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret, timestamp, body)}


def check(secret: Text, headers: Mapping[Text, Text], body: bytes,
          now: Optional[float] = None) -> Optional[Tuple[int, Text]]:
    """None when the request is signed by the secret's holder and recent; else (status, why).

    401: the request is not signed at all; 403: it is signed, but wrongly or too long ago.
    """
    lowered = {key.lower(): value for key, value in headers.items()}
    timestamp = lowered.get(TIMESTAMP_HEADER.lower())
    given = lowered.get(SIGNATURE_HEADER.lower())
    if not timestamp or not given:
        return 401, f"sign the request: {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are required"
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        return 403, f"{TIMESTAMP_HEADER} must be whole seconds since the epoch"
    if age > TOLERANCE_SECONDS:
        return 403, f"the signature is more than {TOLERANCE_SECONDS} seconds old or ahead"
    if not hmac.compare_digest(signature(secret, timestamp, body).encode(), given.encode()):
        return 403, "the signature does not match the body"
    return None


def secret_from_environment(environ: Optional[Mapping[Text, Text]] = None) -> Text:
    """The shared secret from CALLBACK_SECRET, or the file CALLBACK_SECRET_FILE names."""
    environ = os.environ if environ is None else environ
    secret = (environ.get(SECRET_ENV) or "").strip()
    path = (environ.get(SECRET_FILE_ENV) or "").strip()
    if not secret and path:
        try:
            secret = Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            message = f"{SECRET_FILE_ENV}={path} cannot be read: {error.strerror}"
            raise MissingSecret(message) from None
    if not secret:
        raise MissingSecret(
            f"the clinic gateway (callback channel) needs a shared secret: set {SECRET_ENV} "
            f"or {SECRET_FILE_ENV}, or remove the channel from credentials.yml")
    if len(secret) < MIN_SECRET_CHARS:
        raise MissingSecret(f"the clinic gateway's shared secret is too short: use at least "
                            f"{MIN_SECRET_CHARS} random characters")
    return secret
