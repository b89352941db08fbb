#!/usr/bin/env bash
# The LXD lab: real LXD "VMs" on one Linux machine, each a network namespace with its own daemon.
#   bash tests/lab/lab.sh up [--vms N] [--incus]   (root; idempotent)
#   bash tests/lab/lab.sh down                     (removes everything the lab owns; keeps the image cache)
#   bash tests/lab/lab.sh status
# The contract (addresses, lab.env keys) is in docs/lab.md. Everything the lab owns carries the name prefix
# "lxdlab-" (network namespaces, links) or lives under $LAB_ROOT; nothing else is touched.
set -euo pipefail

LAB_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_ROOT=${LAB_ROOT:-/var/lib/lxdcompose-lab}
LAB_CACHE=${LAB_CACHE:-/var/cache/lxdcompose-lab}

readonly NAME_PREFIX=lxdlab
readonly MGMT_BRIDGE=lxdlab-mgmt
readonly MGMT_HOST_ADDRESS=198.18.0.1
readonly SERVICE_BRIDGE=lxdlab-vsw
readonly SERVICE_HOST_ADDRESS=198.18.20.1
readonly IMGSRV_ADDRESS=198.18.0.5
readonly INCUS_ADDRESS=198.18.0.30
readonly SIMPLESTREAMS_PORT=8444
readonly API_PORT=8443
readonly IMAGE_BUSYBOX_ALIAS=busybox/lab
readonly IMAGE_DEBIAN_ALIAS=debian/bookworm-lab
readonly DAEMON_READY_TIMEOUT=60

VMS_DIR=$LAB_ROOT/vms
CONF_DIR=$LAB_ROOT/conf
# lxc's own state for the lab's admin calls over unix sockets, so that root's ~/.config stays untouched.
ADMIN_CONF_DIR=$LAB_ROOT/admin-conf
LAB_ENV=$LAB_ROOT/lab.env

# ---------------------------------------------------------------------------------------------------------------
# Output and timing

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

now() { date +%s.%N; }
elapsed_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.2f", end - start }'; }

# timed LABEL COMMAND...: runs the command and prints how long the step took.
timed() {
    local label=$1 start
    shift
    start=$(now)
    "$@"
    log "$label: $(elapsed_since "$start") s"
}

# wait_until SECONDS DESCRIPTION COMMAND...: polls the command every 0.1 s until it succeeds or the deadline passes.
wait_until() {
    local timeout=$1 description=$2 deadline
    shift 2
    deadline=$(awk -v t="$timeout" -v n="$(now)" 'BEGIN { printf "%.3f", n + t }')
    until "$@" >/dev/null 2>&1; do
        if awk -v d="$deadline" -v n="$(now)" 'BEGIN { exit !(n > d) }'; then
            die "timed out after ${timeout} s waiting for: $description"
        fi
        sleep 0.1
    done
}

# ---------------------------------------------------------------------------------------------------------------
# Packages

APT_UPDATED=
apt_install() {
    local missing=() package
    for package in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    if [ -z "$APT_UPDATED" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

install_lab_packages() {
    apt_install lxd lxd-client busybox-static debootstrap nginx openssl jq iproute2 squashfs-tools xz-utils \
        dnsmasq-base util-linux curl ca-certificates
}

# The machine's Debian mirror, as apt is configured (deb822 sources first, then one-line sources).
debian_mirror() {
    local file mirror
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] || continue
        mirror=$(awk '
            /^[[:space:]]*$/ { if (uris != "" && suites ~ /(^| )bookworm( |$)/ && types ~ /deb( |$)/) { print uris; exit } uris = ""; suites = ""; types = ""; next }
            /^URIs:/ { uris = $2 } /^Suites:/ { $1 = ""; suites = $0 " " } /^Types:/ { $1 = ""; types = $0 " " }
            END { if (uris != "" && suites ~ /(^| )bookworm( |$)/ && types ~ /deb( |$)/) print uris }' "$file" | head -n1)
        [ -n "$mirror" ] && { echo "$mirror"; return 0; }
    done
    for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$file" ] || continue
        mirror=$(awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' "$file")
        [ -n "$mirror" ] && { echo "$mirror"; return 0; }
    done
    die "no Debian bookworm mirror found in the apt sources"
}

# ---------------------------------------------------------------------------------------------------------------
# Processes the lab owns

# Every pid the lab owns: processes in the lab's network namespaces, processes whose command line names the lab's
# state root, processes whose root file system lies under it (containers), and all their descendants.
lab_pids() {
    local scope=${1:-$LAB_ROOT} netns_filter=${2:-"$NAME_PREFIX-"} pid roots=() ns
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        case $ns in "$netns_filter"*) roots+=($(ip netns pids "$ns" 2>/dev/null || true)) ;; esac
    done
    for pid in /proc/[0-9]*; do
        pid=${pid#/proc/}
        [ "$pid" = "$$" ] && continue
        if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$scope/"; then
            roots+=("$pid")
        elif awk -v scope="$scope/" '$5 == "/" { found = index($4, scope) == 1; exit } END { exit !found }' \
            "/proc/$pid/mountinfo" 2>/dev/null; then
            roots+=("$pid")
        fi
    done
    [ ${#roots[@]} -eq 0 ] && return 0
    # Descendants, through the parent links of all processes.
    ps -e -o pid=,ppid= | awk -v roots="${roots[*]}" '
        BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) owned[r[i]] = 1 }
        { parent[$1] = $2; pids[NR] = $1 }
        END {
            changed = 1
            while (changed) { changed = 0; for (i in pids) { p = pids[i]; if (!(p in owned) && (parent[p] in owned)) { owned[p] = 1; changed = 1 } } }
            for (p in owned) print p
        }' | grep -vx "$$" | sort -un
}

# kill_pids SIGNAL PIDS...: also tolerates pids that are already gone.
kill_pids() {
    local signal=$1
    shift
    [ $# -eq 0 ] && return 0
    kill "-$signal" "$@" 2>/dev/null || true
}

pids_alive() {
    local pid
    for pid in "$@"; do [ -d "/proc/$pid" ] && return 0; done
    return 1
}

# stop_owned_processes SCOPE NETNS_FILTER: TERM, then KILL what is left, bounded.
stop_owned_processes() {
    local pids
    pids=$(lab_pids "$@")
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    kill_pids TERM $pids
    local deadline=$((SECONDS + 5))
    # shellcheck disable=SC2086
    while pids_alive $pids && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    pids=$(lab_pids "$@")
    # shellcheck disable=SC2086
    kill_pids KILL $pids
    # shellcheck disable=SC2086
    wait_until 10 "lab processes to exit" bash -c 'for p in "$@"; do [ -d /proc/$p ] && [ "$(awk "{print \$3}" /proc/$p/stat 2>/dev/null)" != Z ] && exit 1; done; exit 0' _ $pids
}

# Mounts under a directory in the host's mount namespace, deepest first, lazily detached.
unmount_under() {
    local dir=$1 mount_point
    awk -v dir="$dir" '{ gsub(/\\040/, " ", $5); if ($5 == dir || index($5, dir "/") == 1) print $5 }' /proc/self/mountinfo \
        | sort -r | while read -r mount_point; do umount -l "$mount_point" 2>/dev/null || true; done
}

# ---------------------------------------------------------------------------------------------------------------
# Network

# lab_mac NETWORK_OCTET ADDRESS: a locally administered MAC 02:6c:61:62:<network>:<last octet of the address>.
lab_mac() {
    printf '02:6c:61:62:%02x:%02x\n' "$1" "${2##*.}"
}

ensure_bridge() {
    local bridge=$1 address=$2
    ip link show "$bridge" >/dev/null 2>&1 || ip link add "$bridge" type bridge
    ip addr replace "$address/24" dev "$bridge"
    ip link set "$bridge" up
}

# ensure_netns NAME MGMT_ADDRESS WITH_SERVICE: the VM's namespace with mgmt0 on the management bridge and (when asked)
# srv0 on the service bridge. srv0 may currently live in a container as a physical NIC: its host end then still
# exists and is left alone.
ensure_netns() {
    local name=$1 address=$2 with_service=$3 netns=$NAME_PREFIX-$1
    local host_mgmt=$NAME_PREFIX-$name-m host_service=$NAME_PREFIX-$name-s
    ip netns list | awk '{print $1}' | grep -qx "$netns" || ip netns add "$netns"
    ip -n "$netns" link set lo up
    if ! ip -n "$netns" link show mgmt0 >/dev/null 2>&1; then
        ip link del "$host_mgmt" 2>/dev/null || true
        ip link add "$host_mgmt" type veth peer name mgmt0 netns "$netns"
    fi
    ip link set "$host_mgmt" master "$MGMT_BRIDGE" up
    # A MAC derived from the address: a rebuilt VM answers with the MAC its neighbours still cache (a new random one
    # left the host and the other VMs sending to a dead MAC for ~10 s, until their ARP entries expired).
    ip -n "$netns" link set mgmt0 address "$(lab_mac 0 "$address")"
    ip -n "$netns" addr replace "$address/24" dev mgmt0
    ip -n "$netns" link set mgmt0 up
    if [ "$with_service" = yes ]; then
        if ! ip link show "$host_service" >/dev/null 2>&1; then
            ip link add "$host_service" type veth peer name srv0 netns "$netns"
            ip -n "$netns" link set srv0 address "$(lab_mac 20 "$address")"
        fi
        ip link set "$host_service" master "$SERVICE_BRIDGE" up
        ip -n "$netns" link set srv0 up 2>/dev/null || true
    fi
}

# ---------------------------------------------------------------------------------------------------------------
# Daemons

vm_dir() { echo "$VMS_DIR/$1"; }
vm_lxd_dir() { echo "$VMS_DIR/$1/lxd"; }

# lxc_admin NAME ARGS...: lxc against a lab daemon over its unix socket.
lxc_admin() {
    local name=$1
    shift
    LXD_DIR=$(vm_lxd_dir "$name") LXD_CONF=$ADMIN_CONF_DIR lxc "$@"
}

# lxc_client ARGS...: lxc with the lab's client configuration (as a user of the lab would run it).
lxc_client() { LXD_CONF=$CONF_DIR lxc "$@"; }

daemon_pid() {
    local pid_file
    pid_file=$(vm_dir "$1")/daemon.pid
    [ -f "$pid_file" ] && cat "$pid_file"
}

# A daemon is healthy when its recorded pid runs lxd for this state dir inside the VM's namespace and answers.
daemon_healthy() {
    local name=$1 pid
    pid=$(daemon_pid "$name") || return 1
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qxF "LXD_DIR=$(vm_lxd_dir "$name")" || return 1
    [ -e "/run/netns/$NAME_PREFIX-$name" ] || return 1
    [ "$(stat -L -c %i "/proc/$pid/ns/net")" = "$(stat -L -c %i "/run/netns/$NAME_PREFIX-$name")" ] || return 1
    LXD_DIR=$(vm_lxd_dir "$name") timeout 10 lxd waitready --timeout 5 >/dev/null 2>&1
}

# Waits for a freshly started daemon: polls readiness while its process lives, up to the deadline.
wait_daemon_ready() {
    local name=$1 pid deadline=$((SECONDS + DAEMON_READY_TIMEOUT))
    while :; do
        pid=$(daemon_pid "$name" || true)
        if [ -n "$pid" ] && LXD_DIR=$(vm_lxd_dir "$name") lxd waitready --timeout 1 >/dev/null 2>&1; then
            return 0
        fi
        if [ -n "$pid" ] && [ ! -d "/proc/$pid" ]; then
            tail -n 20 "$(vm_dir "$name")/daemon.log" >&2 || true
            die "the LXD daemon of $name exited during start; log: $(vm_dir "$name")/daemon.log"
        fi
        [ $SECONDS -lt $deadline ] || die "the LXD daemon of $name was not ready after ${DAEMON_READY_TIMEOUT} s"
        sleep 0.1
    done
}

# Removes whatever an earlier run left of one daemon "VM": processes, mounts, namespace, links, state dir.
destroy_vm() {
    local name=$1 dir netns=$NAME_PREFIX-$1
    dir=$(vm_dir "$name")
    if [ -S "$(vm_lxd_dir "$name")/unix.socket" ] && daemon_healthy "$name"; then
        # A clean shutdown stops the containers too.
        LXD_DIR=$(vm_lxd_dir "$name") timeout 30 lxd shutdown --timeout 20 >/dev/null 2>&1 || true
    fi
    stop_owned_processes "$dir" "$netns"
    unmount_under "$dir"
    ip netns del "$netns" 2>/dev/null || true
    ip link del "$NAME_PREFIX-$name-m" 2>/dev/null || true
    ip link del "$NAME_PREFIX-$name-s" 2>/dev/null || true
    rm -rf --one-file-system "$dir"
}

# start_lxd NAME: starts lxd in the VM's namespace with its own LXD_DIR, detached, its output in daemon.log.
start_lxd() {
    local name=$1 dir
    dir=$(vm_dir "$name")
    mkdir -p "$dir/lxd"
    rm -f "$dir/daemon.pid"
    setsid "$LAB_SCRIPTS/netns-daemon.sh" "$NAME_PREFIX-$name" "$dir/daemon.pid" \
        env LXD_DIR="$dir/lxd" lxd --group root --logfile "$dir/daemon.log" \
        </dev/null >>"$dir/daemon.out" 2>&1 &
    wait_daemon_ready "$name"
}

# ensure_lxd_vm NAME ADDRESS WITH_SERVICE: reuses a healthy daemon, else rebuilds the VM from nothing.
ensure_lxd_vm() {
    local name=$1 address=$2 with_service=$3
    if daemon_healthy "$name"; then
        ensure_netns "$name" "$address" "$with_service"
        log "$name: reusing the running daemon (pid $(daemon_pid "$name"))"
        return 0
    fi
    destroy_vm "$name"
    ensure_netns "$name" "$address" "$with_service"
    start_lxd "$name"
}

# preseed_vm NAME INDEX: https API, the containers' bridge, the dir pool and the default profile. Applying the same
# preseed again is a no-op, so a reused daemon gets it too.
preseed_vm() {
    local name=$1 index=$2
    lxc_admin "$name" config set core.https_address "198.18.0.$((10 + index)):$API_PORT"
    lxc_admin "$name" config set images.auto_update_interval 0
    if ! lxc_admin "$name" network show lxdbr0 >/dev/null 2>&1; then
        lxc_admin "$name" network create lxdbr0 "ipv4.address=198.18.$((100 + index)).1/24" ipv4.nat=false \
            ipv6.address=none >/dev/null
    fi
    if ! lxc_admin "$name" storage show default >/dev/null 2>&1; then
        lxc_admin "$name" storage create default dir >/dev/null
    fi
    lxc_admin "$name" profile edit default <<'EOF'
description: Default LXD profile of the lab
config: {}
devices:
  root:
    type: disk
    path: /
    pool: default
  eth0:
    type: nic
    name: eth0
    network: lxdbr0
EOF
}

preseed_imgsrv() {
    lxc_admin imgsrv config set core.https_address "$IMGSRV_ADDRESS:$API_PORT"
    lxc_admin imgsrv config set images.auto_update_interval 0
}

# ---------------------------------------------------------------------------------------------------------------
# Images: built offline, cached under $LAB_CACHE by a key over everything that goes into them.

# image_cache_key NAME PARTS...: sha256 over the builder's own code and the given inputs.
image_cache_key() {
    local builder=$1
    shift
    { declare -f "$builder"; printf '%s\n' "$@"; } | sha256sum | cut -c1-16
}

# Fills IMAGE_META, IMAGE_ROOTFS and IMAGE_FINGERPRINT from a cache entry.
load_cached_image() {
    local entry=$1
    IMAGE_META=$entry/lxd.tar.xz
    IMAGE_ROOTFS=$entry/root.squashfs
    IMAGE_FINGERPRINT=$(cat "$entry/fingerprint")
    IMAGE_SERIAL=$(cat "$entry/serial")
}

# pack_image STAGING ENTRY: metadata tarball + squashfs rootfs (LXD's split format), fingerprint = sha256 of both.
pack_image() {
    local staging=$1 entry=$2 epoch
    epoch=$(awk '/^creation_date:/ { print $2 }' "$staging/meta/metadata.yaml")
    tar -C "$staging/meta" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -cf - . \
        | xz -T1 -c > "$staging/lxd.tar.xz"
    mksquashfs "$staging/rootfs" "$staging/root.squashfs" -noappend -quiet -no-progress -comp gzip \
        -mkfs-time "$epoch" -all-time "$epoch" >/dev/null
    cat "$staging/lxd.tar.xz" "$staging/root.squashfs" | sha256sum | cut -d' ' -f1 > "$staging/fingerprint"
    date -u -d "@$epoch" +%Y%m%d_%H%M > "$staging/serial"
    mkdir -p "$entry"
    mv "$staging/lxd.tar.xz" "$staging/root.squashfs" "$staging/fingerprint" "$staging/serial" "$entry/"
}

# write_metadata DIR EPOCH OS RELEASE DESCRIPTION: LXD image metadata with a hostname template.
write_metadata() {
    local meta=$1 epoch=$2 os=$3 release=$4 description=$5
    mkdir -p "$meta/templates"
    cat > "$meta/metadata.yaml" <<EOF
architecture: x86_64
creation_date: $epoch
properties:
  architecture: amd64
  os: $os
  release: $release
  description: $description
templates:
  /etc/hostname:
    when: [create, copy]
    template: hostname.tpl
EOF
    printf '{{ container.name }}\n' > "$meta/templates/hostname.tpl"
}

build_busybox_rootfs() {
    local rootfs=$1 applet
    mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,run,root,tmp,var/log}
    chmod 1777 "$rootfs/tmp"
    cp /bin/busybox "$rootfs/bin/busybox"
    for applet in $(/bin/busybox --list-full); do
        [ "$applet" = bin/busybox ] && continue
        ln -sf /bin/busybox "$rootfs/$applet"
    done
    rm -f "$rootfs/sbin/init"
    install -m 0755 "$LAB_SCRIPTS/images/busybox/init" "$rootfs/sbin/init"
    install -m 0755 "$LAB_SCRIPTS/images/busybox/udhcpc.script" "$rootfs/etc/udhcpc.script"
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"
    printf 'root:x:0:\n' > "$rootfs/etc/group"
    printf 'busybox\n' > "$rootfs/etc/hostname"
    printf 'NAME=BusyBox\nID=busybox\nPRETTY_NAME="BusyBox (LxdCompose lab)"\n' > "$rootfs/etc/os-release"
}

# Sets IMAGE_* for the busybox image, building it when the cache has none for the current inputs.
ensure_busybox_image() {
    local key entry staging epoch
    key=$(image_cache_key build_busybox_rootfs "$(sha256sum /bin/busybox)" \
        "$(cat "$LAB_SCRIPTS/images/busybox/init" "$LAB_SCRIPTS/images/busybox/udhcpc.script")" \
        "$(declare -f write_metadata pack_image)")
    entry=$LAB_CACHE/images/busybox-$key
    if [ ! -f "$entry/fingerprint" ]; then
        staging=$(mktemp -d "$LAB_CACHE/tmp.XXXXXX")
        build_busybox_rootfs "$staging/rootfs"
        # The build date of the busybox binary keeps the image reproducible for one package version.
        epoch=$(stat -c %Y /bin/busybox)
        write_metadata "$staging/meta" "$epoch" busybox lab "BusyBox (LxdCompose lab)"
        pack_image "$staging" "$entry"
        rm -rf "$staging"
    fi
    load_cached_image "$entry"
}

# ensure_image_imported NAME ALIAS PUBLIC: imports the current IMAGE_* into a daemon and points the alias at it.
ensure_image_imported() {
    local name=$1 alias=$2 public=$3 current
    if ! lxc_admin "$name" image info "$IMAGE_FINGERPRINT" >/dev/null 2>&1; then
        local flags=()
        [ "$public" = yes ] && flags+=(--public)
        lxc_admin "$name" image import "$IMAGE_META" "$IMAGE_ROOTFS" "${flags[@]}" >/dev/null
    fi
    if [ "$public" = yes ]; then
        lxc_admin "$name" image show "$IMAGE_FINGERPRINT" | grep -q '^public: true' \
            || lxc_admin "$name" image show "$IMAGE_FINGERPRINT" | sed 's/^public: false/public: true/' \
            | lxc_admin "$name" image edit "$IMAGE_FINGERPRINT"
    fi
    current=$(lxc_admin "$name" image alias list --format csv | awk -F, -v a="$alias" '$1 == a { print $2 }')
    if [ -z "$current" ]; then
        lxc_admin "$name" image alias create "$alias" "$IMAGE_FINGERPRINT"
    elif [ "${IMAGE_FINGERPRINT#"$current"}" = "$IMAGE_FINGERPRINT" ]; then
        lxc_admin "$name" image alias delete "$alias"
        lxc_admin "$name" image alias create "$alias" "$IMAGE_FINGERPRINT"
    fi
}

# ---------------------------------------------------------------------------------------------------------------
# Client configuration

ensure_client_certificate() {
    mkdir -p "$CONF_DIR"
    if [ -s "$CONF_DIR/client.crt" ] && [ -s "$CONF_DIR/client.key" ] \
        && openssl x509 -in "$CONF_DIR/client.crt" -noout -checkend 86400 >/dev/null 2>&1; then
        return 0
    fi
    openssl ecparam -name secp384r1 -genkey -noout -out "$CONF_DIR/client.key" 2>/dev/null
    chmod 600 "$CONF_DIR/client.key"
    openssl req -new -x509 -key "$CONF_DIR/client.key" -out "$CONF_DIR/client.crt" -days 3650 -sha384 \
        -subj "/O=LxdCompose lab/CN=lxdcompose-lab-client" -addext "extendedKeyUsage=clientAuth" 2>/dev/null
}

client_fingerprint() {
    openssl x509 -in "$CONF_DIR/client.crt" -noout -fingerprint -sha256 | cut -d= -f2 | tr -d : | tr 'A-F' 'a-f'
}

# trust_client_on NAME ADDRESS: the lab's client certificate, trusted through a token, and the remote in config.yml.
trust_client_on() {
    local name=$1 address=$2 fingerprint token
    fingerprint=$(client_fingerprint)
    if lxc_admin "$name" config trust list --format csv | grep -q "${fingerprint:0:12}"; then
        lxc_client remote add "$name" "https://$address:$API_PORT" --accept-certificate >/dev/null
    else
        token=$(lxc_admin "$name" config trust add --name lxdcompose-lab-client --quiet | tail -n1)
        lxc_client remote add "$name" "$token" >/dev/null
        lxc_client remote set-url "$name" "https://$address:$API_PORT"
    fi
}

# write_client_conf VM_NAMES...: config.yml with every remote, rewritten from scratch on each run.
write_client_conf() {
    local index=0 name
    rm -rf "$CONF_DIR/servercerts" "$CONF_DIR/config.yml"
    printf 'default-remote: local\nremotes: {}\naliases: {}\n' > "$CONF_DIR/config.yml"
    for name in "$@"; do
        index=$((index + 1))
        trust_client_on "$name" "198.18.0.$((10 + index))"
    done
    lxc_client remote add imgsrv "https://$IMGSRV_ADDRESS:$API_PORT" --public --accept-certificate >/dev/null
    # lxc wrote the server certificates; the final config.yml is ours, with every field explicit.
    index=0
    {
        echo "default-remote: $1"
        echo "remotes:"
        for name in "$@"; do
            index=$((index + 1))
            remote_yaml "$name" "https://198.18.0.$((10 + index)):$API_PORT" lxd false tls
        done
        remote_yaml imgsrv "https://$IMGSRV_ADDRESS:$API_PORT" lxd true tls
        echo "aliases: {}"
    } > "$CONF_DIR/config.yml"
}

remote_yaml() {
    printf '  %s:\n    addr: %s\n    protocol: %s\n    public: %s\n    auth_type: %s\n    project: default\n' "$@"
}

# ---------------------------------------------------------------------------------------------------------------
# lab.env

write_lab_env() {
    local vms=("$@") name index=0 tmp
    tmp=$(mktemp "$LAB_ROOT/lab.env.XXXXXX")
    {
        echo "# Written by tests/lab/lab.sh up; see docs/lab.md."
        echo "LXDCOMPOSE_LAB_CONF=$CONF_DIR"
        echo "LXDCOMPOSE_LAB_VMS=\"${vms[*]}\""
        for name in "${vms[@]}"; do
            index=$((index + 1))
            echo "LXDCOMPOSE_LAB_SOCKET_$name=$(vm_lxd_dir "$name")/unix.socket"
            echo "LXDCOMPOSE_LAB_ADDRESS_$name=https://198.18.0.$((10 + index)):$API_PORT"
        done
        echo "LXDCOMPOSE_LAB_IMAGE_BUSYBOX=$IMAGE_BUSYBOX_ALIAS"
    } > "$tmp"
    chmod 644 "$tmp"
    mv "$tmp" "$LAB_ENV"
}

# ---------------------------------------------------------------------------------------------------------------
# Commands

# Names of the VM directories an earlier run left (vm1, vm2, ..., imgsrv, incus1).
existing_vms() {
    [ -d "$VMS_DIR" ] || return 0
    find "$VMS_DIR" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort
}

cmd_up() {
    local vm_count=2 with_incus=no start index name
    while [ $# -gt 0 ]; do
        case $1 in
            --vms) vm_count=${2:?--vms needs a number}; shift 2 ;;
            --vms=*) vm_count=${1#--vms=}; shift ;;
            --incus) with_incus=yes; shift ;;
            *) die "unknown option for up: $1" ;;
        esac
    done
    [[ $vm_count =~ ^[1-9][0-9]?$ ]] && [ "$vm_count" -le 50 ] || die "--vms takes a number from 1 to 50"
    start=$(now)
    mkdir -p "$LAB_ROOT" "$VMS_DIR" "$LAB_CACHE/images" "$ADMIN_CONF_DIR"
    chmod 755 "$LAB_ROOT"
    rm -f "$LAB_ENV"

    timed "packages" install_lab_packages

    local vms=()
    for index in $(seq 1 "$vm_count"); do vms+=("vm$index"); done
    # VMs beyond the requested count (an earlier, bigger run) are removed.
    for name in $(existing_vms); do
        case $name in
            vm*) [ "${name#vm}" -le "$vm_count" ] 2>/dev/null || timed "remove $name" destroy_vm "$name" ;;
        esac
    done

    timed "bridges" bridges_up
    timed "image busybox" ensure_busybox_image
    local busybox_meta=$IMAGE_META busybox_rootfs=$IMAGE_ROOTFS busybox_fingerprint=$IMAGE_FINGERPRINT
    log "busybox image $busybox_fingerprint"

    timed "imgsrv daemon" ensure_lxd_vm imgsrv "$IMGSRV_ADDRESS" no
    timed "imgsrv config" preseed_imgsrv
    timed "imgsrv image busybox" ensure_image_imported imgsrv "$IMAGE_BUSYBOX_ALIAS" yes

    index=0
    for name in "${vms[@]}"; do
        index=$((index + 1))
        timed "$name daemon" ensure_lxd_vm "$name" "198.18.0.$((10 + index))" yes
        timed "$name config" preseed_vm "$name" "$index"
        IMAGE_META=$busybox_meta IMAGE_ROOTFS=$busybox_rootfs IMAGE_FINGERPRINT=$busybox_fingerprint \
            timed "$name image busybox" ensure_image_imported "$name" "$IMAGE_BUSYBOX_ALIAS" no
    done

    timed "client config" ensure_client_certificate
    timed "client trust" write_client_conf "${vms[@]}"
    write_lab_env "${vms[@]}"
    log "lab up in $(elapsed_since "$start") s; environment: $LAB_ENV"
    cat "$LAB_ENV"
}

bridges_up() {
    ensure_bridge "$MGMT_BRIDGE" "$MGMT_HOST_ADDRESS"
    ensure_bridge "$SERVICE_BRIDGE" "$SERVICE_HOST_ADDRESS"
}

cmd_down() {
    local start name
    start=$(now)
    rm -f "$LAB_ENV"
    for name in $(existing_vms); do timed "remove $name" destroy_vm "$name"; done
    # Whatever is left without a state dir: namespaces, processes, links with the lab's prefix.
    stop_owned_processes "$LAB_ROOT" "$NAME_PREFIX-"
    unmount_under "$LAB_ROOT"
    for name in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        case $name in "$NAME_PREFIX-"*) ip netns del "$name" ;; esac
    done
    for name in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
        case $name in "$NAME_PREFIX-"*) ip link del "$name" 2>/dev/null || true ;; esac
    done
    [ -d "$LAB_ROOT" ] && rm -rf --one-file-system "$LAB_ROOT"
    log "lab down in $(elapsed_since "$start") s (image cache kept in $LAB_CACHE)"
}

cmd_status() {
    local name state=0
    if [ -f "$LAB_ENV" ]; then echo "lab.env: $LAB_ENV"; else echo "lab.env: absent (lab not up)"; state=1; fi
    for name in $(existing_vms); do
        if daemon_healthy "$name"; then
            echo "$name: running (pid $(daemon_pid "$name"), $(lxc_admin "$name" config get core.https_address))"
        else
            echo "$name: NOT running"
            state=1
        fi
    done
    return $state
}

main() {
    [ "$(id -u)" -eq 0 ] || die "the lab needs root: sudo bash $0 $*"
    local command=${1:-}
    [ $# -gt 0 ] && shift
    case $command in
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        status) cmd_status "$@" ;;
        *) echo "usage: $0 up [--vms N] [--incus] | down | status" >&2; exit 2 ;;
    esac
}

main "$@"
