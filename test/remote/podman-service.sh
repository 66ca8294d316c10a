#!/usr/bin/env bash
# Starts (or checks) Podman's Docker-compatible API service for the Podman test runs, and loads
# the fixture images into Podman's store. Idempotent.
#   bash test/remote/podman-service.sh          start or check; prints the socket's URL last
#   bash test/remote/podman-service.sh --stop   stop the service this script started
# This machine forbids raising rlimits and crun refuses its hybrid cgroups, so Podman runs with
# a containers.conf of its own (no default ulimits, runc) through CONTAINERS_CONF.
set -euo pipefail

state=${MODELBOX_PODMAN_STATE:-/run/modelbox-dev-podman}
socket="$state/podman.sock"
url="unix://$socket"
conf="$state/containers.conf"
images=(modelbox-dev-fixture/develop:latest modelbox-dev-fixture/runtime:latest)

log() { printf '[podman] %s\n' "$*" >&2; }
die() {
  printf '[podman] error: %s\n' "$*" >&2
  exit 1
}
answers() { curl -fsS --max-time 5 --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; }

if [ "${1:-}" = --stop ]; then
  if [ -f "$state/pid" ] && kill "$(cat "$state/pid")" 2>/dev/null; then
    log "stopped the service (pid $(cat "$state/pid"))"
  fi
  rm -f "$state/pid"
  exit 0
fi

command -v podman >/dev/null || die "podman is not installed (apt-get install podman)"
mkdir -p "$state"
changed=0
# Writes stdin to $1 when it differs (then the service must start again to read it).
put() {
  local new
  new=$(cat)
  if [ ! -f "$1" ] || [ "$(cat "$1")" != "$new" ]; then
    printf '%s\n' "$new" >"$1"
    changed=1
  fi
}
put "$conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$conf"
# Docker treats registries on 127.0.0.0/8 as insecure (plain HTTP); Podman needs telling. The
# test registries listen on 127.0.0.1 with fresh ports; short names resolve on docker.io as
# Docker resolves them.
put "$state/registries.conf" <<'CONF'
unqualified-search-registries = ["docker.io"]

[[registry]]
location = "127.0.0.1"
insecure = true

[[registry]]
location = "localhost"
insecure = true
CONF
export CONTAINERS_REGISTRIES_CONF="$state/registries.conf"

# conmon runs in the service's working directory: one since deleted (a CI checkout removed and
# cloned again) makes every start fail with "Failed to get working directory".
cwd_gone() {
  [ -f "$state/pid" ] || return 1
  case "$(readlink "/proc/$(cat "$state/pid")/cwd" 2>/dev/null)" in
    *" (deleted)") return 0 ;;
    *) return 1 ;;
  esac
}

if [ "$changed" = 0 ] && ! cwd_gone && answers; then
  log "service answers at $url"
else
  # A service of ours from before (older settings, or not answering) goes first.
  if [ -f "$state/pid" ]; then kill "$(cat "$state/pid")" 2>/dev/null || true; fi
  sleep 1
  log "starting podman system service at $url (log: $state/service.log)"
  (cd / && exec nohup podman system service --time=0 "$url" >"$state/service.log" 2>&1) &
  echo $! >"$state/pid"
  for _ in $(seq 1 30); do
    answers && break
    sleep 1
  done
  answers || {
    tail -n 20 "$state/service.log" >&2 || true
    die "Podman's service did not answer at $url within 30 s"
  }
fi

# Podman names images from `docker save` as they were (localhost/ is added only when a name has
# no registry part and is looked up short); compare by image ID. Every fixture tag Docker has for
# the image goes along (:latest and the content-hash tag the suites look for).
for img in "${images[@]}"; do
  want=$(docker image inspect -f '{{.Id}}' "$img" 2>/dev/null) || die "$img is missing: run bash test/fixture/build.sh first"
  read -r -a tags <<<"$(docker image inspect -f '{{join .RepoTags " "}}' "$img" | tr ' ' '\n' | grep '^modelbox-dev-fixture/' | tr '\n' ' ')"
  missing=()
  for tag in "${tags[@]}"; do
    have=$(podman image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
    [ "sha256:$have" = "$want" ] || [ "$have" = "$want" ] || missing+=("$tag")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "$img present (${tags[*]})"
  else
    log "loading ${missing[*]} (docker save | podman load)"
    docker save "${missing[@]}" | podman load -q >/dev/null
  fi
done
echo "$url"
