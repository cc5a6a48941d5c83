#!/usr/bin/env bash
# Installs what the notebooks need and registers the GoNB kernel. Used by the README's commands, by CI
# (.ci/run via `make test`) and by docker/Dockerfile. Idempotent: a second run checks and changes nothing.
#
#   - Debian's Jupyter: headless execution (nbconvert, nbclient) and the classic notebook server
#   - Debian's dataset-fashion-mnist: the rate-network check of the populations notebook (package ratenet)
#   - GoNB and goimports, pinned in notebooks/tools/go.mod, into $(go env GOPATH)/bin
#   - the "gonb" kernel in $JUPYTER_DATA_DIR (default ~/.local/share/jupyter), with PATH, GOTOOLCHAIN and
#     GOEXPERIMENT=simd set so the kernel finds go and goimports, the Go the project needs and its vector
#     kernels, however Jupyter is started
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "Go is not on PATH. Install Go 1.26 or newer (e.g. to /usr/local/go) and add it to PATH."
# The project needs Go 1.27 (GoMLX v0.28.14); go.mod names the toolchain, which the go command fetches
# from the module proxy when GOTOOLCHAIN names it and the installed Go is older.
# A GOTOOLCHAIN naming a version (the Dockerfile sets one, before go.mod is copied in) is kept.
case "${GOTOOLCHAIN:-}" in
  go1.*) toolchain="$GOTOOLCHAIN" ;;
  *) toolchain="$(sed -n 's/^toolchain //p' "$here/../go.mod" 2>/dev/null)" ;;
esac
[ -n "$toolchain" ] || die "go.mod names no toolchain (and GOTOOLCHAIN names no version)"
export GOTOOLCHAIN="$toolchain"
goversion="$(go env GOVERSION)" || die "go could not start toolchain $toolchain (is the Go module proxy reachable?)"
# Plain go commands in this project (go test ./..., an editor's gopls) need the toolchain too: where the
# user's go env pins GOTOOLCHAIN=local and the installed Go is older, record this one (with +auto, so a
# module that needs a newer Go still gets it) in the user's go env.
localgo="$(env -u GOTOOLCHAIN go env GOVERSION 2>/dev/null)" || true
if [ "$(env -u GOTOOLCHAIN go env GOTOOLCHAIN 2>/dev/null)" = local ] && ! echo "$localgo" | grep -Eq '^go1\.(2[7-9]|[3-9][0-9])'; then
  env -u GOTOOLCHAIN go env -w GOTOOLCHAIN="$toolchain+auto"
  say "go env -w GOTOOLCHAIN=$toolchain+auto: the installed $localgo is older than this project needs"
fi
case "$goversion" in
  go1.2[7-9]*|go1.[3-9]*) ;;
  *) die "Go $goversion is too old: this project needs Go 1.27 or newer." ;;
esac

# 1. Debian packages.
pkgs=(jupyter-nbconvert python3-nbclient python3-nbformat jupyter-client jupyter-core jupyter-notebook dataset-fashion-mnist python3-numpy)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install these Debian packages by hand: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install ${missing[*]} as root"
    sudo="sudo"
  fi
  say "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Jupyter packages present"
fi
[ -x /usr/bin/jupyter ] || die "/usr/bin/jupyter missing after installing ${pkgs[*]}"

# 2. GoNB and goimports at the versions pinned in tools/go.mod.
gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
want_gonb="$(cd "$here/tools" && go list -m -f '{{.Version}}' github.com/janpfeifer/gonb)"
have_gonb="$(go version -m "$gobin/gonb" 2>/dev/null | awk '$1=="mod" && $2=="github.com/janpfeifer/gonb" {print $3}')" || true
if [ "$have_gonb" != "$want_gonb" ] || [ ! -x "$gobin/goimports" ]; then
  say "installing gonb $want_gonb and goimports into $gobin"
  (cd "$here/tools" && GOBIN="$gobin" go install tool)
else
  say "gonb $have_gonb and goimports present in $gobin"
fi

# 3. Register the kernel, with a PATH that has go and goimports.
datadir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}"
kpath="$gobin:$(dirname "$(command -v go)"):/usr/local/bin:/usr/bin:/bin"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
JUPYTER_DATA_DIR="$tmp" PATH="$kpath" "$gobin/gonb" --install --force_deps >/dev/null 2>&1 ||
  die "gonb --install failed (run it by hand to see why)"
/usr/bin/python3 - "$tmp/kernels/gonb/kernel.json" "$kpath" "$toolchain" <<'PY'
import json, sys
path, kpath, toolchain = sys.argv[1], sys.argv[2], sys.argv[3]
spec = json.load(open(path))
spec.setdefault("env", {})["PATH"] = kpath
spec["env"]["GOTOOLCHAIN"] = toolchain
spec["env"]["GOEXPERIMENT"] = "simd"  # vector kernels, as the Makefile builds
json.dump(spec, open(path, "w"), indent=1, sort_keys=True)
PY
mkdir -p "$datadir/kernels/gonb"
if cmp -s "$tmp/kernels/gonb/kernel.json" "$datadir/kernels/gonb/kernel.json"; then
  say "gonb kernel already registered in $datadir"
else
  cp "$tmp/kernels/gonb/"* "$datadir/kernels/gonb/"
  say "registered the gonb kernel in $datadir"
fi
