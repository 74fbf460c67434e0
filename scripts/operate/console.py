"""Start the staff console on 127.0.0.1:CONSOLE_PORT (make console).

It reads the tracker store named by BACKCARE_TRACKER_URL or BACKCARE_TRACKER_DB
(as `make forget` does) and keeps its own tables in the same database.
Create a staff account first: `make staff-user`.
"""

import argparse
import logging
import os
import sys

from backcare_console import schema
from backcare_console.app import create_app

HOST = "127.0.0.1"  # staff only: reach it through an SSH tunnel or the clinic's VPN


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=int(os.environ.get("CONSOLE_PORT", "8090")))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    engine = schema.connect()
    app = create_app(engine)
    print(f"BackCare staff console: http://{HOST}:{args.port}/", flush=True)
    app.run(host=HOST, port=args.port, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
