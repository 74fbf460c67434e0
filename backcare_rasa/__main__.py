"""BackCare's ``rasa`` command: Rasa's own CLI with the action-client fallback installed.

Usage: python -m backcare_rasa run|shell|test ... (the same arguments as ``rasa``).
The patch itself lives in ``backcare_rasa.patches``.

A server (``run``) gives TensorFlow one thread per operation unless the
environment says otherwise (Rasa's TF_INTRA_OP_/TF_INTER_OP_PARALLELISM_THREADS):
a message's models are small, and on two cores shared by two Rasa servers,
the action server and the stores, more threads only wait for each other
(docs/performance.md). Training keeps TensorFlow's default.

The HTTP API's token never goes on a command line (where ``ps`` shows it to every
user of the machine): a server started with ``--enable-api`` and no
``--auth-token`` takes it from the file BACKCARE_API_TOKEN_FILE, or else from
RASA_API_TOKEN, and hands it to Rasa's CLI inside this process.
"""

import os
import sys
from pathlib import Path
from typing import List, Mapping

from backcare_rasa import patches

SERVING_TF_THREADS = {"TF_INTRA_OP_PARALLELISM_THREADS": "1",
                      "TF_INTER_OP_PARALLELISM_THREADS": "1"}


def api_token_arguments(argv: List[str], environ: Mapping[str, str]) -> List[str]:
    """``--auth-token=TOKEN`` for a server with the API on and no token given, else nothing."""
    if argv[1:2] != ["run"] or "--enable-api" not in argv:
        return []
    if any(arg == "--auth-token" or arg.startswith("--auth-token=") for arg in argv):
        return []
    token = ""
    if environ.get("BACKCARE_API_TOKEN_FILE"):
        path = Path(environ["BACKCARE_API_TOKEN_FILE"])
        try:
            token = path.read_text().strip()
        except OSError as error:
            raise SystemExit(f"error: cannot read the HTTP API's token from "
                             f"BACKCARE_API_TOKEN_FILE={path}: {error.strerror or error}") from None
    token = token or environ.get("RASA_API_TOKEN", "").strip()
    if not token:
        raise SystemExit("error: the HTTP API needs a token: set BACKCARE_API_TOKEN_FILE "
                         "(a file holding it) or RASA_API_TOKEN")
    # One argument: a token that begins with "-" is not taken for an option.
    return [f"--auth-token={token}"]


def main() -> None:
    """Install the action client (and, for a server, the GC freeze), then run Rasa's CLI."""
    patches.install_action_client()
    if sys.argv[1:2] == ["run"]:
        patches.install_gc_freeze()
        sys.argv += api_token_arguments(sys.argv, os.environ)
        for name, value in SERVING_TF_THREADS.items():
            os.environ.setdefault(name, value)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
