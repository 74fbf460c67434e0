"""BackCare's ``rasa`` command: Rasa's own CLI with the action-client fallback installed.

Usage: python -m backcare_rasa run|shell|test ... (the same arguments as ``rasa``).
The patch itself lives in ``backcare_rasa.patches``.
"""

import sys

from backcare_rasa import patches


def main() -> None:
    """Install the action client, then hand over to Rasa's CLI."""
    patches.install_action_client()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
