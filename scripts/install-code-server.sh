#!/usr/bin/env bash
# Installs code-server (VS Code in the browser) for the editor tests, outside the project's
# node_modules: into .cache/code-server (or $WIRECHECK_CODE_SERVER_DIR). Reuses an existing install
# of the pinned version and prints the path of the code-server binary on its last line.
#
# Pinned to 4.100.3: later releases need Node 22 or newer. Needs the Debian packages installed by
# scripts/provision.sh (build headers for the native modules, ripgrep).
#
# Offline-safe details:
#  - @vscode/ripgrep's postinstall downloads rg from GitHub. Its cache is seeded with the system rg
#    (Debian's 13.0.0 is the version VS Code bundles), so no download happens.
#  - node-pty's postinstall runs `npx node-gyp`, which needs npm_config_yes=true.
#  - code-server's postinstall refuses to run as root unless npm_config_unsafe_perm=true.
set -euo pipefail

VERSION=4.100.3
RIPGREP_PKG=1.15.11
RIPGREP_TAG=v13.0.0-10
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST=${WIRECHECK_CODE_SERVER_DIR:-$ROOT/.cache/code-server}
BIN=$DEST/node_modules/.bin/code-server

installed_version() {
  node -e "try{process.stdout.write(require(process.argv[1]).version)}catch{}" "$DEST/node_modules/code-server/package.json"
}

mkdir -p "$DEST"
exec 9>"$DEST.lock"
flock 9

if [ -x "$BIN" ] && [ "$(installed_version)" = "$VERSION" ]; then
  echo "$BIN"
  exit 0
fi

case "$(uname -m)" in
  x86_64) target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) target=aarch64-unknown-linux-musl ;;
  *) echo "install-code-server: unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work
rg_bin=$(command -v rg || true)
if [ -n "$rg_bin" ]; then
  mkdir -p "$work/vscode-ripgrep-cache-$RIPGREP_PKG" "$work/rgstage"
  cp "$rg_bin" "$work/rgstage/rg"
  tar czf "$work/vscode-ripgrep-cache-$RIPGREP_PKG/ripgrep-$RIPGREP_TAG-$target.tar.gz" -C "$work/rgstage" rg
else
  echo "install-code-server: no rg on PATH; @vscode/ripgrep will try to download it (run scripts/provision.sh)" >&2
fi

cd "$DEST"
[ -f package.json ] || echo '{ "name": "wirecheck-code-server", "private": true }' > package.json
echo "install-code-server: installing code-server@$VERSION into $DEST (a few minutes on a cold npm cache)" >&2
npm_config_yes=true npm_config_unsafe_perm=true npm_config_fund=false npm_config_audit=false \
  npm install --no-save --no-package-lock "code-server@$VERSION" >&2

if [ "$(installed_version)" != "$VERSION" ]; then
  echo "install-code-server: code-server@$VERSION did not install into $DEST" >&2
  exit 1
fi
echo "$BIN"
