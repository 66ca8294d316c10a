#!/usr/bin/env bash
# Starts (or checks) a second Docker Engine on this machine that stands in for a remote host:
# a near-privileged container with the host's network and a Debian filesystem of its own, running
# dockerd on tcp://127.0.0.2:2375 and sshd on 127.0.0.3:2222 (root, key login), and loads the
# fixture images into it. Idempotent: when the engine answers and has the images, it only says so.
#   bash test/remote/remote-host.sh          start or check
#   bash test/remote/remote-host.sh --stop   remove the container (its data volume stays)
# Writes the client key and an ssh config for tests to $MODELBOX_REMOTE_STATE
# (default /var/lib/modelbox-dev-remote-host).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fixture=$(cd "$here/../fixture" && pwd)
cache=${MODELBOX_FIXTURE_CACHE:-/var/cache/modelbox-dev-fixture}
state=${MODELBOX_REMOTE_STATE:-/var/lib/modelbox-dev-remote-host}
name=modelbox-dev-remote-host
volume=modelbox-dev-remote-host-data
engine=tcp://127.0.0.2:2375
images=(modelbox-dev-fixture/develop:latest modelbox-dev-fixture/runtime:latest)

log() { printf '[remote-host] %s\n' "$*"; }
die() {
  printf '[remote-host] error: %s\n' "$*" >&2
  exit 1
}
remote() { docker -H "$engine" "$@"; }
answers() { remote version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if [ "${1:-}" = --stop ]; then
  docker rm -f "$name" >/dev/null 2>&1 && log "removed $name" || log "$name was not there"
  exit 0
fi

# ---- the host image: a debootstrap rootfs with docker.io and openssh-server (cached by hash)
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
hash=$( (cd "$here" && sha256sum rootfs.conf && sha256sum "$fixture/mkrootfs.sh" | cut -d' ' -f1 && echo "$arch") |
  sha256sum | cut -c1-12)
image="$name:$hash"
if [ -z "$(docker images -q "$image")" ]; then
  mkdir -p "$cache"
  tarball="$cache/remote-host-$hash.tar"
  if [ ! -f "$tarball" ]; then
    log "building $tarball with debootstrap (takes minutes)"
    # mkrootfs.sh reads rootfs.conf beside itself: run a copy beside this host's rootfs.conf.
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp "$fixture/mkrootfs.sh" "$here/rootfs.conf" "$work/"
    bash "$work/mkrootfs.sh" "$tarball"
  fi
  log "docker import $tarball $image"
  docker import --message "modelbox-dev second engine host $hash" "$tarball" "$image" >/dev/null
fi

# ---- the client key and an ssh config that tests include
mkdir -p "$state"
chmod 0700 "$state"
[ -f "$state/client_key" ] || ssh-keygen -q -t ed25519 -N '' -C modelbox-dev-remote-tests -f "$state/client_key"
cat >"$state/ssh_config" <<CONF
# The second engine host, as ssh:// engines and tunnels reach it (written by test/remote/remote-host.sh).
Host 127.0.0.3
  User root
  Port 2222
  IdentityFile $state/client_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
CONF

# ---- the container (replaced when its image changed or it stopped)
# (and when it mounts another clone's test/remote, or one since deleted)
running_image=$(docker inspect -f '{{.Config.Image}} {{.State.Running}}' "$name" 2>/dev/null || true)
mounted=$(docker inspect -f '{{range .Mounts}}{{if eq .Destination "/remote"}}{{.Source}}{{end}}{{end}}' "$name" 2>/dev/null || true)
same_clone() { [ "$mounted" = "$here" ] && docker exec "$name" test -f /remote/host-init.sh 2>/dev/null; }
if [ "$running_image" != "$image true" ] || ! same_clone || ! answers; then
  docker rm -f "$name" >/dev/null 2>&1 || true
  log "starting $name ($image)"
  # --privileged minus what this machine's sandbox withholds (CAP_SYS_RESOURCE): every other
  # capability, no seccomp/AppArmor confinement, writable /proc/sys and cgroups, all devices.
  docker run -d --name "$name" --network host \
    --cap-add ALL --cap-drop SYS_RESOURCE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --security-opt systempaths=unconfined --device-cgroup-rule 'a *:* rwm' \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw \
    --label modelbox-dev-test-infra=remote-host \
    -v "$volume:/var/lib/docker" -v "$state:/state" -v "$here:/remote:ro" \
    "$image" /bin/sh /remote/host-init.sh >/dev/null
  for _ in $(seq 1 60); do
    answers && break
    sleep 1
  done
  answers || {
    docker logs --tail 30 "$name" >&2 || true
    die "the second engine did not answer at $engine within 60 s"
  }
fi
log "engine at $engine answers ($(remote version --format '{{.Server.Version}}'))"

# ---- the fixture images, loaded when missing or different
for img in "${images[@]}"; do
  want=$(docker image inspect -f '{{.Id}}' "$img" 2>/dev/null) || die "$img is missing here: run bash test/fixture/build.sh first"
  have=$(remote image inspect -f '{{.Id}}' "$img" 2>/dev/null || true)
  if [ "$want" = "$have" ]; then
    log "$img present"
  else
    log "loading $img (docker save | docker -H $engine load)"
    docker save "$img" | remote load -q >/dev/null
  fi
done

# ---- ssh:// reaches the same engine
if ssh -F "$state/ssh_config" 127.0.0.3 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  log "ssh://root@127.0.0.3:2222 reaches it"
else
  die "ssh to 127.0.0.3:2222 failed (see $state/sshd.log)"
fi
