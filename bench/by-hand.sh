#!/usr/bin/env bash
# The work `modelbox-dev up` does, done by hand in a tight shell script, as the seed tells a user
# to: docker run with the seed's options (and root's home in a volume, shm and restart policy as
# `up` sets them by default), wait for sshd, put a public key in, wait for a key login
# to work; with "full", also turn developer mode on the way the seed does and wait for the editor.
# Usage: by-hand.sh IMAGE NAME SSH_PORT EDITOR_PORT HTTP_PORT KEY_FILE [full]
set -euo pipefail
image=$1 name=$2 ssh_port=$3 editor_port=$4 http_port=$5 key=$6 mode=${7:-key}

docker run -itd --name "$name" \
  --tmpfs /tmp --tmpfs /run --tmpfs /run/lock \
  -v /sys/fs/cgroup:/sys/fs/cgroup:ro -v "modelbox-dev-home-$name:/root" \
  --restart unless-stopped --shm-size 8g \
  -p "127.0.0.1:$ssh_port:22" -p "127.0.0.1:$editor_port:1104" \
  -p "127.0.0.1:$http_port:$http_port" \
  "$image" >/dev/null

# sshd answers with its banner ("SSH-2.0-...") once it runs; the port proxy accepts before that.
until { exec 3<>"/dev/tcp/127.0.0.1/$ssh_port" && read -r -t 1 line <&3 && [[ $line == SSH-* ]]; } 2>/dev/null; do
  exec 3>&- || true
  sleep 0.05
done
exec 3>&- || true

docker exec -i "$name" sh -c 'mkdir -p /root/.ssh && chmod 700 /root/.ssh &&
  cat >>/root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys' <"$key.pub"

until ssh -q -i "$key" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
  -o ConnectTimeout=5 -p "$ssh_port" root@127.0.0.1 true 2>/dev/null; do
  sleep 0.05
done

[ "$mode" = full ] || exit 0
# The editor admits the address in $SSH_CLIENT; from the host, requests come from the bridge gateway.
gateway=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.Gateway}}{{end}}' "$name")
docker exec -e SSH_CLIENT="$gateway 1 22" "$name" modelbox-tool develop -s >/dev/null || true
until curl -fs -o /dev/null "http://127.0.0.1:$editor_port/editor/"; do
  sleep 0.05
done
