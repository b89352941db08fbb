#!/usr/bin/env bash
# The lxc side of bench/deploy: the same deploy as the generated LxdCompose spec, node after node, with the lxc CLI:
# launch, exec (post-node-creation), exec (pre-node-sync), two file pushes, exec (post-node-sync).
# Usage: lxc-deploy.sh REMOTE PREFIX COUNT FILES_DIR IMAGE_ALIAS   (LXD_CONF = the lab's client configuration)
set -euo pipefail
remote=$1 prefix=$2 count=$3 files=$4 image=$5
for i in $(seq -w 1 "$count"); do
    node="$remote:$prefix-$i"
    lxc launch "$remote:$image" "$node" --quiet
    lxc exec "$node" -- /bin/sh -c 'mkdir -p /srv/bench'
    lxc exec "$node" -- /bin/sh -c 'echo ready > /srv/bench/state'
    lxc file push --quiet "$files/a.conf" "$node/srv/bench/a.conf"
    lxc file push --quiet "$files/b.conf" "$node/srv/bench/b.conf"
    lxc exec "$node" -- /bin/sh -c 'cat /srv/bench/a.conf /srv/bench/b.conf > /dev/null'
done
