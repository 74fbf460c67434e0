#!/usr/bin/env bash
# Fetch axe-core (the accessibility checker the console's browser test injects)
# from the npm registry, check it against scripts/axe-core.sha512, keep build/axe/axe.min.js.
set -euo pipefail
cd "$(dirname "$0")/.."
version=4.14.1
out=build/axe
mkdir -p "$out/pack"
if ! command -v npm >/dev/null; then
  echo "error: npm is needed once to fetch axe-core (apt-get install npm)." >&2
  exit 1
fi
npm pack "axe-core@$version" --pack-destination "$out/pack" --silent >/dev/null
tarball="$out/pack/axe-core-$version.tgz"
expected=$(cat scripts/axe-core.sha512)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$expected" ]; then
  echo "error: $tarball does not match scripts/axe-core.sha512" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$out/pack" package/axe.min.js
mv "$out/pack/package/axe.min.js" "$out/axe.min.js"
touch "$out/axe.min.js"
rm -rf "$out/pack"
echo "axe-core $version (integrity checked) saved to $out/axe.min.js"
