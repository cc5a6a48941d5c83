#!/usr/bin/env bash
# Makes a local stand-in for docker.io/library/golang:1.26-bookworm where no registry is reachable:
# a debootstrap'ed Debian 12 (minbase + the official image's build tools), this machine's Go toolchain
# and trusted CA certificates (HTTPS here may go through an intercepting proxy), imported into podman
# under the official name, so that an unchanged `FROM golang:1.26-bookworm` resolves to it with
# --pull=never. Does nothing when the image already exists. Needs root, debootstrap and podman.
set -euo pipefail
image="docker.io/library/golang:1.26-bookworm"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$(cd "$(dirname "$0")" && pwd)/containers.conf}"
if podman image exists "$image"; then
  echo "standin: $image already present"
  exit 0
fi
mirror="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
mirror="${mirror:-http://deb.debian.org/debian}"
root="$(mktemp -d /var/tmp/golang-standin.XXXXXX)"
trap 'rm -rf "$root"' EXIT
echo "standin: debootstrap bookworm from $mirror (a few minutes)"
debootstrap --variant=minbase --include=ca-certificates,curl,git,gcc,g++,libc6-dev,make,pkg-config \
  bookworm "$root" "$mirror" >/dev/null
goroot="$(go env GOROOT)"
echo "standin: adding Go $(go env GOVERSION) from $goroot and this machine's CA certificates"
mkdir -p "$root/usr/local"
cp -a "$goroot" "$root/usr/local/go"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
mkdir -p "$root/go/bin" "$root/go/src"
chmod -R 1777 "$root/go"
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
tar -C "$root" -c . | podman import \
  --change 'ENV GOLANG_VERSION='"$(go env GOVERSION | sed 's/^go//')" \
  --change 'ENV GOTOOLCHAIN=local' \
  --change 'ENV GOPATH=/go' \
  --change 'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /go' \
  --change 'CMD ["bash"]' \
  - "$image" >/dev/null
echo "standin: imported $image"
