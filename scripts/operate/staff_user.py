"""Create a staff account for the console, or set a new password (make staff-user).

  python scripts/operate/staff_user.py NAME            # asks for the password twice
  echo "$PASSWORD" | python scripts/operate/staff_user.py NAME --stdin

There is no default password. The account is stored (Argon2id hash) in the
tracker store's database, as the console reads it.
"""

import argparse
import getpass
import sys

from backcare_console import auth, schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("username")
    parser.add_argument("--stdin", action="store_true", help="read the password from stdin")
    args = parser.parse_args()
    if args.stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Same password again: ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 1
    try:
        with schema.connect().begin() as connection:
            auth.create_user(connection, args.username, password)
    except ValueError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"staff account '{args.username.strip()}' saved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
