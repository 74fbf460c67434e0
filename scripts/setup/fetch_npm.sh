#!/usr/bin/env bash
# fetch_npm.sh PACKAGE VERSION FILE CHECKSUM OUT: take FILE out of an npm package
# (npm pack from the registry), after checking the package against the sha512
# integrity string in CHECKSUM; save it as OUT. Used by make install for the web
# widget (rasa-webchat) and the accessibility checker (axe-core); nothing is
# fetched at run time.
set -euo pipefail
cd "$(dirname "$0")/../.."
package=$1 version=$2 file=$3 checksum=$4 out=$5
pack=$(dirname "$out")/pack-$package
if ! command -v npm >/dev/null; then
  echo "error: npm is needed once to fetch $package (apt-get install npm)." >&2
  exit 1
fi
mkdir -p "$pack"
npm pack "$package@$version" --pack-destination "$pack" --silent >/dev/null
tarball="$pack/$package-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$(cat "$checksum")" ]; then
  echo "error: $tarball does not match $checksum" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$pack" "$file"
mv "$pack/$file" "$out"
touch "$out"  # npm packs files with a fixed 1985 date
rm -rf "$pack"
echo "$package $version (integrity checked) saved to $out"
