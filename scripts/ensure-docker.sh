#!/usr/bin/env bash
# Make sure a Docker engine answers: install Debian's docker.io when missing, start dockerd when not
# running. An operator who points DOCKER_HOST at a separate Docker host skips all of this.
set -euo pipefail

if docker info >/dev/null 2>&1; then exit 0; fi
if [ -n "${DOCKER_HOST:-}" ]; then
  echo "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
  echo "Installing Docker's engine from Debian's packages (docker.io)..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker.io >/dev/null
fi

DOCKERD=$(command -v dockerd || echo /usr/sbin/dockerd)
mkdir -p .cache
echo "Starting dockerd (log: .cache/dockerd.log)..."
$SUDO sh -c "nohup $DOCKERD >.cache/dockerd.log 2>&1 &"
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then echo "Docker engine is up."; exit 0; fi
  sleep 1
done
echo "dockerd did not come up within 60 s; see .cache/dockerd.log" >&2
tail -20 .cache/dockerd.log >&2 || true
exit 1
