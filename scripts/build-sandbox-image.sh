#!/usr/bin/env bash
# Build the default sandbox image locally when it is missing. The tag carries a hash of the
# Dockerfile, so a changed Dockerfile rebuilds and an unchanged one costs nothing.
set -euo pipefail

NAME=${SANDBOX_IMAGE_NAME:-codegen-sandbox}
BASE=codegen-debian-base:bookworm
HASH=$(sha256sum docker/sandbox/Dockerfile | cut -c1-12)
TAG="$NAME:$HASH"

if docker image inspect "$TAG" >/dev/null 2>&1; then
  docker tag "$TAG" "$NAME:latest"
  exit 0
fi

if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if ! command -v debootstrap >/dev/null 2>&1 && [ ! -x /usr/sbin/debootstrap ]; then
    echo "Installing debootstrap from Debian's packages..."
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq debootstrap >/dev/null
  fi
  ROOTFS=$(mktemp -d /tmp/codegen-rootfs.XXXXXX)
  echo "Bootstrapping a minimal Debian root for $BASE (about a minute)..."
  $SUDO "$(command -v debootstrap || echo /usr/sbin/debootstrap)" --variant=minbase bookworm "$ROOTFS" >/tmp/codegen-debootstrap.log 2>&1 \
    || { tail -20 /tmp/codegen-debootstrap.log >&2; exit 1; }
  $SUDO tar -C "$ROOTFS" -c . | docker import - "$BASE" >/dev/null
  $SUDO rm -rf "$ROOTFS"
fi

echo "Building sandbox image $TAG..."
docker build -q --build-arg BASE="$BASE" -t "$TAG" docker/sandbox >/dev/null
docker tag "$TAG" "$NAME:latest"
echo "Built $TAG"
