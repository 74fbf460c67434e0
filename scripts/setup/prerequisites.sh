#!/usr/bin/env bash
# prerequisites.sh WHAT...: check the machine's own programs a target needs (no
# installing, no sudo). Each missing one is named with the Debian package that
# gives it; the exit status is 1 if any is missing. WHAT: browser, prod.
#   browser: Chromium (widget and console browser tests, the review sheet's PDF)
#   prod:    nginx, envsubst, logrotate, curl (make prod and its tests)
set -uo pipefail
declare -A package=([/usr/bin/chromium]=chromium [/usr/sbin/nginx]=nginx
                    [envsubst]=gettext-base [logrotate]=logrotate [curl]=curl)
need=()
for what in "$@"; do
  case $what in
    browser) need+=(/usr/bin/chromium) ;;
    prod) need+=(/usr/sbin/nginx envsubst logrotate curl) ;;
    *) echo "prerequisites.sh: unknown '$what'" >&2; exit 2 ;;
  esac
done
missing=()
for program in "${need[@]}"; do
  if [[ $program == /* ]]; then [ -x "$program" ] && continue
  else command -v "$program" >/dev/null && continue; fi
  missing+=("${package[$program]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "error: this machine lacks programs BackCare's tests and make prod use: ${missing[*]}" >&2
echo "Install them once (Debian/Ubuntu; the README's Prerequisites), then run make again:" >&2
echo "  sudo apt-get install ${missing[*]}" >&2
exit 1
