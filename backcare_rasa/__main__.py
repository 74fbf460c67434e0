"""BackCare's ``rasa`` command: Rasa's own CLI with the action-client fallback installed.

Usage: python -m backcare_rasa run|shell|test ... (the same arguments as ``rasa``).
The patch itself lives in ``backcare_rasa.patches``.

A server (``run``) gives TensorFlow one thread per operation unless the
environment says otherwise (Rasa's TF_INTRA_OP_/TF_INTER_OP_PARALLELISM_THREADS):
a message's models are small, and on two cores shared by two Rasa servers,
the action server and the stores, more threads only wait for each other
(docs/performance.md). Training keeps TensorFlow's default.
"""

import os
import sys

from backcare_rasa import patches

SERVING_TF_THREADS = {"TF_INTRA_OP_PARALLELISM_THREADS": "1",
                      "TF_INTER_OP_PARALLELISM_THREADS": "1"}


def main() -> None:
    """Install the action client (and, for a server, the GC freeze), then run Rasa's CLI."""
    patches.install_action_client()
    if sys.argv[1:2] == ["run"]:
        patches.install_gc_freeze()
        for name, value in SERVING_TF_THREADS.items():
            os.environ.setdefault(name, value)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
