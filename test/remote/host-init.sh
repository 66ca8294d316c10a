#!/bin/sh
# PID 1 of the second engine host (a near-privileged container with the host's network): a bridge of
# its own, sshd on 127.0.0.3:2222 and dockerd on tcp://127.0.0.2:2375 (and its own unix socket,
# which `docker system dial-stdio` reaches for ssh:// engines). /state is kept between starts.
set -eu

BRIDGE=mbdev-br0
BRIDGE_CIDR=10.213.7.1/24

# Its own bridge: the host's docker0 belongs to the main dockerd.
ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
ip addr show dev "$BRIDGE" | grep -q "${BRIDGE_CIDR%/*}/" || ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
ip link set "$BRIDGE" up

# What only this host has, for tests that prove facts come from the engine's host: a directory,
# an Ascend chip's device node and the driver's npu-smi (printing a recorded 310P3 report).
mkdir -p /srv/modelbox-dev-remote-only
echo "present only on the second engine host" >/srv/modelbox-dev-remote-only/README
touch /dev/davinci0
# Copied, not read from /remote: the clone mounted there may be replaced while this host runs.
install -m 0755 /remote/npu-smi /usr/local/bin/npu-smi
install -m 0644 /remote/npu-smi-info.txt /usr/local/share/npu-smi-info.txt

# sshd: host key kept in /state, so a known_hosts entry stays true; root logs in with the key.
mkdir -p /run/sshd /root/.ssh
[ -f /state/ssh_host_ed25519_key ] || ssh-keygen -q -t ed25519 -N '' -f /state/ssh_host_ed25519_key
cp /state/client_key.pub /root/.ssh/authorized_keys
chmod 0700 /root/.ssh && chmod 0600 /root/.ssh/authorized_keys
cat >/etc/ssh/sshd_config.d/modelbox-dev-remote.conf <<CONF
ListenAddress 127.0.0.3:2222
HostKey /state/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PasswordAuthentication no
AllowTcpForwarding yes
# Fewer sessions per login than an ssh:// up opens at once over its shared login (sshd's default
# is 10): the sessions it refuses must fall back to logins of their own, and up still works.
MaxSessions 3
CONF
/usr/sbin/sshd -E /state/sshd.log

# No iptables of its own (the host's rules belong to the main dockerd): published ports go
# through docker-proxy, which is all that loopback clients need.
exec dockerd \
  -H unix:///var/run/docker.sock -H tcp://127.0.0.2:2375 \
  --bridge "$BRIDGE" --iptables=false --ip-masq=false --ip-forward=false \
  --cgroup-parent /modelbox-dev-remote --data-root /var/lib/docker
