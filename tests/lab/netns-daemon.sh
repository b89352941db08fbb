#!/bin/sh
# Runs a lab daemon (lxd, incusd) as if it were the only daemon of its "VM".
#   netns-daemon.sh <netns> <pid-file> <command> [args...]
# The caller detaches it (setsid, stdio redirected). Why not `ip netns exec`: that remounts /sys in a way that hides
# the cgroup hierarchy (LXD: "Error reading host's cpuset.cpus", systemd containers die at boot). Why not a plain
# `nsenter --net`: the daemon would keep the host's /sys and not see the namespace's own srv0 ("Parent device 'srv0'
# doesn't exist"). So: enter the net namespace, take a private mount namespace, put the cgroup tree aside, mount a
# sysfs that belongs to the net namespace on /sys, move the cgroup tree back, then exec the daemon.
set -eu
netns=$1
pid_file=$2
shift 2

if [ -z "${LAB_IN_MOUNT_NS:-}" ]; then
    export LAB_IN_MOUNT_NS=1
    exec nsenter --net="/run/netns/$netns" unshare --mount --propagation private "$0" "$netns" "$pid_file" "$@"
fi
unset LAB_IN_MOUNT_NS

cgroup_aside=$(mktemp -d /run/lxdcompose-lab-cgroup.XXXXXX)
mount --rbind /sys/fs/cgroup "$cgroup_aside"
mount -t sysfs sysfs /sys
mount --move "$cgroup_aside" /sys/fs/cgroup
rmdir "$cgroup_aside"

# exec keeps the pid: this is the daemon's pid.
echo $$ > "$pid_file"
exec "$@"
