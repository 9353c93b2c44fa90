#!/usr/bin/env bash
# Installs the Debian packages the sandbox and editor tests need, when they are missing:
#   bubblewrap, socat, ripgrep  - sandbox backends (@anthropic-ai/sandbox-runtime, bubblewrap)
#   chromium                    - headless browser that drives code-server in the editor tests
#   libkrb5-dev libxkbfile-dev libsecret-1-dev - native modules of code-server's npm install
# Safe to run repeatedly; does nothing when everything is present. Needs root (or sudo) and apt-get.
set -euo pipefail

need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
for h in /usr/include/gssapi/gssapi.h:libkrb5-dev /usr/include/X11/extensions/XKBfile.h:libxkbfile-dev /usr/include/libsecret-1/libsecret/secret.h:libsecret-1-dev; do
  [ -e "${h%%:*}" ] || need+=("${h##*:}")
done

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "provision: missing ${need[*]} and no apt-get here; install them with your package manager" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "provision: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
echo "provision: installing ${need[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
