#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter for BackCare's virtualenv.
# Order: $BACKCARE_PYTHON, pyenv's installed 3.10.x (newest first), python3.10 on PATH.
set -u
want="3.10"
candidates=()
[ -n "${BACKCARE_PYTHON:-}" ] && candidates+=("$BACKCARE_PYTHON")
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
if [ -d "$pyenv_root/versions" ]; then
  while IFS= read -r path; do candidates+=("$path"); done < <(
    ls -d "$pyenv_root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -t. -k3 -n -r)
fi
on_path=$(command -v python3.10 2>/dev/null || true)
[ -n "$on_path" ] && candidates+=("$on_path")

for candidate in "${candidates[@]}"; do
  if [ -x "$candidate" ] && "$candidate" -c "import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))" 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done

cat >&2 <<MSG
error: no Python $want interpreter found.
BackCare runs on Rasa Open Source 3.6, which supports Python 3.8 to 3.10 only
(the system's python3 may be newer). Install Python 3.10, for example:
  pyenv install 3.10.13                     # with pyenv
  sudo apt-get install python3.10-venv      # Debian/Ubuntu with python3.10 packaged
or point BACKCARE_PYTHON at a 3.10 interpreter, then run 'make install' again.
MSG
exit 1
