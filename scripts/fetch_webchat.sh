#!/usr/bin/env bash
# Fetch the rasa-webchat bundle from the npm registry, check its integrity
# against web/rasa-webchat.sha512, and put it in build/web/ (served locally).
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.0.1
out=build/web
mkdir -p "$out/pack"
if ! command -v npm >/dev/null; then
  echo "error: npm is needed once to fetch the web chat widget (apt-get install npm)." >&2
  exit 1
fi
npm pack "rasa-webchat@$version" --pack-destination "$out/pack" --silent >/dev/null
tarball="$out/pack/rasa-webchat-$version.tgz"
expected=$(cat web/rasa-webchat.sha512)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$expected" ]; then
  echo "error: $tarball does not match web/rasa-webchat.sha512" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$out/pack" package/lib/index.js
mv "$out/pack/package/lib/index.js" "$out/rasa-webchat.js"
touch "$out/rasa-webchat.js"  # npm packs files with a fixed 1985 date
rm -rf "$out/pack"
echo "rasa-webchat $version (integrity checked) saved to $out/rasa-webchat.js"
