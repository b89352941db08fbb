#!/usr/bin/env bash
# The LXD lab: real LXD "VMs" on one Linux machine, each a network namespace with its own daemon.
#   bash tests/lab/lab.sh up [--vms N] [--incus]   (root; idempotent)
#   bash tests/lab/lab.sh down                     (removes everything the lab owns; keeps the image cache)
#   bash tests/lab/lab.sh status
#   bash tests/lab/lab.sh tools                    (root; installs the tools the tests run: j2cli)
#   bash tests/lab/lab.sh packages [--installed]   (the Debian packages up, up --incus and tools bring)
#   bash tests/lab/lab.sh add vmN|vmN-new...        (another VM beside the running ones; idempotent)
#   bash tests/lab/lab.sh remove vmN|vmN-new...     (removes VMs that add made)
#   bash tests/lab/lab.sh freeze|thaw|kill|restart vmN|vmN-new   (faults of a daemon that add made, for fault tests)
# The contract (addresses, lab.env keys) is in docs/lab.md. Everything the lab owns carries the name prefix
# "lxdlab-" (network namespaces, links) or lives under $LAB_ROOT; nothing else is touched.
set -Eeuo pipefail
# set -e alone would end the run silently inside a function; say where it stopped.
trap 'printf "[lab] ERROR: exit %s at %s line %s: %s\n" "$?" "${FUNCNAME[0]:-main}" "$LINENO" "$BASH_COMMAND" >&2' ERR

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
readonly INCUS_NAME=incus1
readonly SIMPLESTREAMS_PORT=8444
readonly API_PORT=8443
readonly IMAGE_BUSYBOX_ALIAS=busybox/lab
readonly IMAGE_DEBIAN_ALIAS=debian/bookworm-lab
# The Debian image with a release marker, published as nginx/<release> on the simplestreams server, one per release
# (the VMware-LXD 1:1 example upgrades from the first to the second).
readonly IMAGE_NGINX_NAME=nginx
readonly NGINX_RELEASES="22.10 22.10.01"
readonly DAEMON_READY_TIMEOUT=60

VMS_DIR=$LAB_ROOT/vms
CONF_DIR=$LAB_ROOT/conf
# lxc's own state for the lab's admin calls over unix sockets, so that root's ~/.config stays untouched.
ADMIN_CONF_DIR=$LAB_ROOT/admin-conf
LAB_ENV=$LAB_ROOT/lab.env
# What a VM's /logs/ is in production: the lab's VMs share the machine's file system, so they share this one.
LOGS_DIR=$LAB_ROOT/logs

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

# quiet COMMAND...: runs the command and shows its output only when it fails (lxc and incus greet a new config dir
# with "If this is your first time running..." on stderr).
quiet() {
    local output
    if ! output=$("$@" 2>&1); then
        printf '%s\n' "$output" >&2
        return 1
    fi
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
# Everything the lab and the tests install comes from here, so that `lab.sh packages` lists it all (docs/lab.md:
# the fresh-machine check purges exactly these).

# LXD finds no firewall tool of its own: Debian's lxd does not depend on one, and without iptables a daemon fails at
# start ("Failed clearing firewall").
readonly LAB_PACKAGES="lxd lxd-client iptables busybox-static debootstrap nginx squashfs-tools dnsmasq-base"
# Tools of a Debian base system that the lab uses too: installed when missing, never listed for purging (removing
# them would take the machine's own tools away).
readonly BASE_TOOL_PACKAGES="openssl jq iproute2 xz-utils util-linux curl ca-certificates"
# incus-base is the container-only daemon; the "incus" package would pull in QEMU for VMs.
readonly INCUS_PACKAGES="incus-base incus-client"
# Tools the tests run outside the lab: j2 (the jinja2 template engine, as lxd-compose runs it).
readonly TEST_TOOL_PACKAGES="j2cli"

package_installed() {
    local status
    status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)
    [ "$status" = 'install ok installed' ]
}

APT_UPDATED=
apt_install() {
    local missing=() package
    for package in "$@"; do
        package_installed "$package" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]}"
    if [ -z "$APT_UPDATED" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# shellcheck disable=SC2086 # the lists are words on purpose
install_lab_packages() { apt_install $BASE_TOOL_PACKAGES $LAB_PACKAGES; }

# list_packages [--installed]: the packages up, up --incus and tools bring to a machine (the base tools aside), or
# those of them installed now.
list_packages() {
    local package listed=()
    for package in $LAB_PACKAGES $INCUS_PACKAGES $TEST_TOOL_PACKAGES; do
        if [ "${1:-}" != --installed ] || package_installed "$package"; then listed+=("$package"); fi
    done
    echo "${listed[*]}"
}

# shellcheck disable=SC2086
install_test_tools() { apt_install $TEST_TOOL_PACKAGES; }

# Incus 6.0 comes from bookworm-backports: that suite is added with the URI of the machine's own Debian mirror.
install_incus_packages() {
    local sources=/etc/apt/sources.list.d/lxdcompose-lab-backports.sources wanted
    wanted=$(printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
        "$(debian_mirror)" /usr/share/keyrings/debian-archive-keyring.gpg)
    if [ "$(cat "$sources" 2>/dev/null)" != "$wanted" ]; then
        printf '%s\n' "$wanted" > "$sources"
        APT_UPDATED=
    fi
    if [ ! -x /usr/libexec/incus/incusd ] || ! command -v incus >/dev/null; then
        if [ -z "$APT_UPDATED" ]; then
            DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
            APT_UPDATED=1
        fi
        log "installing $INCUS_PACKAGES from bookworm-backports"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -t bookworm-backports \
            $INCUS_PACKAGES >/dev/null
    fi
}

# The machine's Debian mirror, as apt is configured (deb822 sources first, then one-line sources).
debian_mirror() {
    local file mirror
    for file in /etc/apt/sources.list.d/*.sources; do
        [ -f "$file" ] || continue
        mirror=$(awk '
            /^[[:space:]]*$/ { if (uris != "" && suites ~ /(^| )bookworm( |$)/ && types ~ /deb( |$)/) { print uris; exit } uris = ""; suites = ""; types = ""; next }
            /^URIs:/ { uris = $2 } /^Suites:/ { $1 = ""; suites = $0 " " } /^Types:/ { $1 = ""; types = $0 " " }
            END { if (uris != "" && suites ~ /(^| )bookworm( |$)/ && types ~ /deb( |$)/) print uris }' "$file")
        mirror=${mirror%%$'\n'*}
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
# state root, that hold a file under it open (an orphaned nginx worker), or whose root file system lies under it
# (containers), and all their descendants. NETNS_PATTERN is a glob over namespace names: lxdlab-* for the whole lab,
# one VM's own namespace name for that VM alone (lxdlab-vm1 must not take lxdlab-vm1-new or lxdlab-vm10 along).
lab_pids() {
    local scope=${1:-$LAB_ROOT} netns_pattern=${2:-"$NAME_PREFIX-*"} pid roots=() ns
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
        # shellcheck disable=SC2254 # the pattern is a glob on purpose
        case $ns in $netns_pattern) roots+=($(ip netns pids "$ns" 2>/dev/null || true)) ;; esac
    done
    for pid in /proc/[0-9]*; do
        pid=${pid#/proc/}
        [ "$pid" = "$$" ] && continue
        if [[ $(tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" || true) == *"$scope/"* ]]; then
            roots+=("$pid")
        elif awk -v scope="$scope/" '$5 == "/" { found = index($4, scope) == 1; exit } END { exit !found }' \
            "/proc/$pid/mountinfo" 2>/dev/null; then
            roots+=("$pid")
        fi
    done
    # find complains about processes that end while it looks: that is expected.
    roots+=($({ find /proc/[0-9]*/fd -maxdepth 1 -lname "$scope/*" 2>/dev/null || true; } | cut -d/ -f3 | sort -u))
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

# stop_owned_processes SCOPE NETNS_PATTERN: TERM, then KILL what is left, bounded.
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

# VM names and addresses. vmN (N = 1..50) is 198.18.0.(10+N) with its containers' bridge on 198.18.(100+N).0/24;
# vmN-new, the replacement of vmN, is 198.18.0.(60+N) with 198.18.(160+N).0/24.
# vm20 would take incus1's address (198.18.0.30) and vm30 its bridge (198.18.130.0/24): those two numbers are not VMs.
is_vm_name() {
    [[ $1 =~ ^vm([1-9][0-9]?)(-new)?$ ]] && [ "${BASH_REMATCH[1]}" -le 50 ] &&
        { [ -n "${BASH_REMATCH[2]}" ] || { [ "${BASH_REMATCH[1]}" != 20 ] && [ "${BASH_REMATCH[1]}" != 30 ]; }; }
}
vm_number() { local n=${1#vm}; echo "${n%-new}"; }
vm_address() {
    case $1 in
        *-new) echo "198.18.0.$((60 + $(vm_number "$1")))" ;;
        *) echo "198.18.0.$((10 + $(vm_number "$1")))" ;;
    esac
}
vm_bridge_address() {
    case $1 in
        *-new) echo "198.18.$((160 + $(vm_number "$1"))).1/24" ;;
        *) echo "198.18.$((100 + $(vm_number "$1"))).1/24" ;;
    esac
}
# The host-side link names of a VM: lxdlab-<name>-m (management) and -s (service). A link name has at most 15
# characters, so vmN-new becomes vmNn there (lxdlab-vm12n-m).
host_link() { local name=$1; echo "$NAME_PREFIX-${name/%-new/n}-$2"; }

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
    local name=$1 address=$2 with_service=$3 netns=$NAME_PREFIX-$1 host_mgmt host_service
    host_mgmt=$(host_link "$name" m)
    host_service=$(host_link "$name" s)
    [[ $'\n'$(ip netns list | awk '{print $1}')$'\n' == *$'\n'"$netns"$'\n'* ]] || ip netns add "$netns"
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
# An Incus "VM" is named incusN; every other one runs LXD.
vm_kind() { case $1 in incus*) echo incus ;; *) echo lxd ;; esac; }
vm_daemon_dir() { echo "$VMS_DIR/$1/$(vm_kind "$1")"; }
daemon_dir_variable() { [ "$(vm_kind "$1")" = incus ] && echo INCUS_DIR || echo LXD_DIR; }

# daemon_tool NAME lxd-args... : the daemon binary's own subcommands (waitready, shutdown), for either kind.
daemon_tool() {
    local name=$1 dir
    shift
    dir=$(vm_daemon_dir "$name")
    if [ "$(vm_kind "$name")" = incus ]; then
        INCUS_DIR=$dir INCUS_CONF=$ADMIN_CONF_DIR/incus incus admin "$@"
    else
        LXD_DIR=$dir lxd "$@"
    fi
}

# lxc_admin NAME ARGS...: lxc against a lab daemon over its unix socket.
lxc_admin() {
    local name=$1
    shift
    if [ "$(vm_kind "$name")" = incus ]; then
        INCUS_DIR=$(vm_daemon_dir "$name") INCUS_CONF=$ADMIN_CONF_DIR/incus incus "$@"
    else
        LXD_DIR=$(vm_daemon_dir "$name") LXD_CONF=$ADMIN_CONF_DIR lxc "$@"
    fi
}

# lxc_client ARGS...: lxc with the lab's client configuration (as a user of the lab would run it).
lxc_client() { LXD_CONF=$CONF_DIR lxc "$@"; }

daemon_pid() {
    local pid_file
    pid_file=$(vm_dir "$1")/daemon.pid
    [ -f "$pid_file" ] && cat "$pid_file"
}

# A daemon is healthy when its recorded pid runs the daemon for this state dir inside the VM's namespace and answers.
daemon_healthy() {
    local name=$1 pid
    pid=$(daemon_pid "$name") || return 1
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    [[ $'\n'$(tr '\0' '\n' 2>/dev/null < "/proc/$pid/environ" || true)$'\n' \
        == *$'\n'"$(daemon_dir_variable "$name")=$(vm_daemon_dir "$name")"$'\n'* ]] || return 1
    [ -e "/run/netns/$NAME_PREFIX-$name" ] || return 1
    [ "$(stat -L -c %i "/proc/$pid/ns/net")" = "$(stat -L -c %i "/run/netns/$NAME_PREFIX-$name")" ] || return 1
    daemon_tool "$name" waitready --timeout 5 >/dev/null 2>&1
}

# Waits for a freshly started daemon: polls readiness while its process lives, up to the deadline.
wait_daemon_ready() {
    local name=$1 pid deadline=$((SECONDS + DAEMON_READY_TIMEOUT))
    while :; do
        pid=$(daemon_pid "$name" || true)
        if [ -n "$pid" ] && daemon_tool "$name" waitready --timeout 1 >/dev/null 2>&1; then
            return 0
        fi
        if [ -n "$pid" ] && [ ! -d "/proc/$pid" ]; then
            tail -n 20 "$(vm_dir "$name")/daemon.log" >&2 || true
            die "the daemon of $name exited during start; log: $(vm_dir "$name")/daemon.log"
        fi
        [ $SECONDS -lt $deadline ] || die "the daemon of $name was not ready after ${DAEMON_READY_TIMEOUT} s"
        sleep 0.1
    done
}

# Removes whatever an earlier run left of one daemon "VM": processes, mounts, namespace, links, state dir.
destroy_vm() {
    local name=$1 dir netns=$NAME_PREFIX-$1
    dir=$(vm_dir "$name")
    if [ -S "$(vm_daemon_dir "$name")/unix.socket" ] && daemon_healthy "$name"; then
        # A clean shutdown stops the containers too.
        daemon_tool "$name" shutdown --timeout 20 >/dev/null 2>&1 || true
    fi
    stop_owned_processes "$dir" "$netns"
    unmount_under "$dir"
    ip netns del "$netns" 2>/dev/null || true
    ip link del "$(host_link "$name" m)" 2>/dev/null || true
    ip link del "$(host_link "$name" s)" 2>/dev/null || true
    rm -rf --one-file-system "$dir"
}

# write_server_certificate DIR ADDRESS NAME: the daemon's own server.crt/key, made before its first start so that it
# names the VM's address (the daemon's self-made one names only the host name and loopback, so clients could only
# pin it, never verify it).
write_server_certificate() {
    local dir=$1 address=$2 name=$3
    [ -s "$dir/server.crt" ] && [ -s "$dir/server.key" ] && return 0
    openssl ecparam -name secp384r1 -genkey -noout -out "$dir/server.key" 2>/dev/null
    chmod 600 "$dir/server.key"
    openssl req -new -x509 -key "$dir/server.key" -out "$dir/server.crt" -days 3650 -sha384 \
        -subj "/O=LxdCompose lab/CN=$name" -addext "subjectAltName=IP:$address,DNS:$name" 2>/dev/null
}

# start_daemon NAME ADDRESS: starts lxd (or incusd) in the VM's namespace with its own state dir, detached, its
# log in daemon.log.
start_daemon() {
    local name=$1 address=$2 dir daemon_dir daemon
    dir=$(vm_dir "$name")
    daemon_dir=$(vm_daemon_dir "$name")
    mkdir -p "$daemon_dir"
    write_server_certificate "$daemon_dir" "$address" "$name"
    rm -f "$dir/daemon.pid"
    if [ "$(vm_kind "$name")" = incus ]; then daemon=/usr/libexec/incus/incusd; else daemon=lxd; fi
    setsid "$LAB_SCRIPTS/netns-daemon.sh" "$NAME_PREFIX-$name" "$dir/daemon.pid" \
        env "$(daemon_dir_variable "$name")=$daemon_dir" "$daemon" --group root --logfile "$dir/daemon.log" \
        </dev/null >>"$dir/daemon.out" 2>&1 9>&- &
    wait_daemon_ready "$name"
}

# ensure_vm NAME ADDRESS WITH_SERVICE: reuses a healthy daemon, else rebuilds the VM from nothing.
# A daemon counts as reusable only when the run that configured it finished: a run killed half-way leaves a healthy
# daemon with a half-made network or pool, which is rebuilt rather than repaired.
ensure_vm() {
    local name=$1 address=$2 with_service=$3 marker
    marker=$(vm_dir "$name")/configured
    if [ -f "$marker" ] && daemon_healthy "$name"; then
        ensure_netns "$name" "$address" "$with_service"
        log "$name: reusing the running daemon (pid $(daemon_pid "$name"))"
        # Until this run configures it again, it counts as half-made.
        rm -f "$marker"
        return 0
    fi
    destroy_vm "$name"
    ensure_netns "$name" "$address" "$with_service"
    start_daemon "$name" "$address"
}

mark_configured() { touch "$(vm_dir "$1")/configured"; }

# preseed_vm NAME: https API, the containers' bridge, the dir pool and the default profile. Applying the same
# preseed again is a no-op, so a reused daemon gets it too.
preseed_vm() {
    local name=$1
    quiet lxc_admin "$name" config set core.https_address "$(vm_address "$name"):$API_PORT"
    lxc_admin "$name" config set images.auto_update_interval 0
    if ! lxc_admin "$name" network show lxdbr0 >/dev/null 2>&1; then
        lxc_admin "$name" network create lxdbr0 "ipv4.address=$(vm_bridge_address "$name")" ipv4.nat=false \
            ipv6.address=none >/dev/null
    fi
    if ! lxc_admin "$name" storage show default >/dev/null 2>&1; then
        lxc_admin "$name" storage create default dir >/dev/null
    fi
    # Rewriting a profile that is already right would also update every container using it, and fails while one of
    # them is busy (starting, stopping): touch it only when it is not what the lab needs.
    # The description is LXD's own, as `lxd init` leaves it on a real VM (the examples declare the profile so).
    if [ "$(lxc_admin "$name" profile device get default eth0 network 2>/dev/null)" = lxdbr0 ] &&
        [ "$(lxc_admin "$name" profile device get default root pool 2>/dev/null)" = default ] &&
        [ "$(lxc_admin "$name" query /1.0/profiles/default 2>/dev/null | jq -r .description)" = "Default LXD profile" ]; then
        return 0
    fi
    lxc_admin "$name" profile edit default <<'EOF'
description: Default LXD profile
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

# The Incus "VM": the same shape as an LXD one, set up with `incus admin init --preseed` (which updates what exists,
# so a reused daemon gets it too).
preseed_incus() {
    quiet lxc_admin "$INCUS_NAME" admin init --preseed <<EOF
config:
  core.https_address: $INCUS_ADDRESS:$API_PORT
  images.auto_update_interval: "0"
networks:
- name: incusbr0
  type: bridge
  config:
    ipv4.address: 198.18.$((100 + ${INCUS_ADDRESS##*.})).1/24
    ipv4.nat: "false"
    ipv6.address: none
storage_pools:
- name: default
  driver: dir
profiles:
- name: default
  description: Default Incus profile of the lab
  devices:
    root:
      type: disk
      path: /
      pool: default
    eth0:
      type: nic
      name: eth0
      network: incusbr0
EOF
}

preseed_imgsrv() {
    quiet lxc_admin imgsrv config set core.https_address "$IMGSRV_ADDRESS:$API_PORT"
    lxc_admin imgsrv config set images.auto_update_interval 0
}

# ---------------------------------------------------------------------------------------------------------------
# Images: built offline, cached under $LAB_CACHE by a key over everything that goes into them.

# A new staging dir in the cache; those an interrupted run left are removed first (the lab lock makes that safe).
new_staging_dir() {
    local stale
    for stale in "$LAB_CACHE"/tmp.* "$LAB_CACHE"/images/*.partial; do
        [ -e "$stale" ] || continue
        unmount_under "$stale"
        rm -rf --one-file-system "$stale"
    done
    mktemp -d "$LAB_CACHE/tmp.XXXXXX"
}

# image_cache_key NAME PARTS...: sha256 over the builder's own code and the given inputs.
image_cache_key() {
    local builder=$1
    shift
    { declare -f "$builder"; printf '%s\n' "$@"; } | sha256sum | cut -c1-16
}

# A cache entry holds lxd.tar.xz, root.squashfs, and one file per fact: fingerprint, serial, os, release,
# lxd.tar.xz.sha256, root.squashfs.sha256.
image_fact() { cat "$1/$2"; }

# pack_image STAGING ENTRY: metadata tarball + squashfs rootfs (LXD's split format), fingerprint = sha256 of both.
pack_image() {
    local staging=$1 entry=$2 epoch
    epoch=$(awk '/^creation_date:/ { print $2 }' "$staging/meta/metadata.yaml")
    tar -C "$staging/meta" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -cf - . \
        | xz -T1 -c > "$staging/lxd.tar.xz"
    # POSIX ACLs (journald's) cannot go into squashfs; mksquashfs says so per file and goes on, as it should.
    mksquashfs "$staging/rootfs" "$staging/root.squashfs" -noappend -quiet -no-progress -comp gzip \
        -mkfs-time "$epoch" -all-time "$epoch" >/dev/null 2>"$staging/mksquashfs.err" \
        || { cat "$staging/mksquashfs.err" >&2; die "mksquashfs failed"; }
    grep -v '^Unrecognised xattr prefix system.posix_acl' "$staging/mksquashfs.err" >&2 || true
    cat "$staging/lxd.tar.xz" "$staging/root.squashfs" | sha256sum | cut -d' ' -f1 > "$staging/fingerprint"
    sha256sum < "$staging/lxd.tar.xz" | cut -d' ' -f1 > "$staging/lxd.tar.xz.sha256"
    sha256sum < "$staging/root.squashfs" | cut -d' ' -f1 > "$staging/root.squashfs.sha256"
    date -u -d "@$epoch" +%Y%m%d_%H%M > "$staging/serial"
    awk '$1 == "os:" { print $2 }' "$staging/meta/metadata.yaml" > "$staging/os"
    awk '$1 == "release:" { print $2 }' "$staging/meta/metadata.yaml" > "$staging/release"
    # The fingerprint file goes last: its presence marks a complete entry.
    mkdir -p "$entry.partial"
    mv "$staging"/{lxd.tar.xz,root.squashfs,serial,os,release,lxd.tar.xz.sha256,root.squashfs.sha256} "$entry.partial/"
    mv "$staging/fingerprint" "$entry.partial/"
    rm -rf "$entry"
    mv "$entry.partial" "$entry"
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

# Sets IMAGE_ENTRY to the busybox image's cache entry, building it when the cache has none for the current inputs.
ensure_busybox_image() {
    local key entry staging epoch
    key=$(image_cache_key build_busybox_rootfs "$(sha256sum /bin/busybox)" \
        "$(cat "$LAB_SCRIPTS/images/busybox/init" "$LAB_SCRIPTS/images/busybox/udhcpc.script")" \
        "$(declare -f write_metadata pack_image)")
    entry=$LAB_CACHE/images/busybox-$key
    if [ ! -f "$entry/fingerprint" ]; then
        staging=$(new_staging_dir)
        build_busybox_rootfs "$staging/rootfs"
        # The build date of the busybox binary keeps the image reproducible for one package version.
        epoch=$(stat -c %Y /bin/busybox)
        write_metadata "$staging/meta" "$epoch" busybox lab "BusyBox (LxdCompose lab)"
        pack_image "$staging" "$entry"
        rm -rf "$staging"
    fi
    IMAGE_ENTRY=$entry
}

readonly DEBIAN_PACKAGES=systemd,systemd-sysv,dbus,nginx,iproute2,jq,bash,procps,netbase

build_debian_rootfs() {
    local rootfs=$1 mirror=$2
    # A private mount namespace: debootstrap's /proc and /sys mounts in the target vanish with it, even when killed.
    unshare --mount --propagation private debootstrap --variant=minbase --include="$DEBIAN_PACKAGES" --components=main bookworm "$rootfs" "$mirror" \
        > "$rootfs.debootstrap.log" 2>&1 || { tail -n 30 "$rootfs.debootstrap.log" >&2; die "debootstrap failed"; }
    # eth0 takes its address from the LXD bridge; the offered gateway is ignored (no default route in the lab).
    printf '[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nUseGateway=false\n' \
        > "$rootfs/etc/systemd/network/10-eth0.network"
    # Without udev in a container, networkd leaves links "pending" unless it sees /sys and /proc read-only.
    mkdir -p "$rootfs/etc/systemd/system/systemd-networkd.service.d"
    printf '[Service]\nBindReadOnlyPaths=/sys /proc\n' \
        > "$rootfs/etc/systemd/system/systemd-networkd.service.d/lxdcompose-lab.conf"
    chroot "$rootfs" systemctl enable systemd-networkd.service >/dev/null 2>&1
    chroot "$rootfs" systemctl mask systemd-networkd-wait-online.service >/dev/null 2>&1
    printf 'debian\n' > "$rootfs/etc/hostname"
    : > "$rootfs/etc/machine-id"
    rm -f "$rootfs/var/lib/dbus/machine-id"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs.debootstrap.log"
}

# Sets IMAGE_ENTRY for the Debian image; a cold build (debootstrap from the machine's mirror) takes a few minutes.
ensure_debian_image() {
    local key entry staging mirror
    mirror=$(debian_mirror)
    key=$(image_cache_key build_debian_rootfs "$mirror" "$DEBIAN_PACKAGES" "$(declare -f write_metadata pack_image)")
    entry=$LAB_CACHE/images/debian-$key
    if [ ! -f "$entry/fingerprint" ]; then
        log "building the Debian image with debootstrap from $mirror (a few minutes)"
        staging=$(new_staging_dir)
        build_debian_rootfs "$staging/rootfs" "$mirror"
        write_metadata "$staging/meta" "$(date +%s)" debian bookworm "Debian bookworm with systemd and nginx (LxdCompose lab)"
        pack_image "$staging" "$entry"
        rm -rf "$staging"
    fi
    IMAGE_ENTRY=$entry
}

# build_nginx_rootfs ROOTFS DEBIAN_ENTRY RELEASE: the Debian image's root file system with a release marker in
# /etc/lxdcompose-lab-release and in the default web page, so a test can tell the releases apart inside the container
# and over HTTP. Nothing is downloaded: the Debian image already has nginx.
build_nginx_rootfs() {
    local rootfs=$1 debian=$2 release=$3
    unsquashfs -no-progress -quiet -d "$rootfs" "$debian/root.squashfs" >/dev/null
    printf '%s/%s\n' "$IMAGE_NGINX_NAME" "$release" > "$rootfs/etc/lxdcompose-lab-release"
    rm -f "$rootfs/var/www/html/index.nginx-debian.html"
    printf '<!DOCTYPE html>\n<html><head><title>nginx %s</title></head>\n<body><p>image %s/%s (LxdCompose lab)</p></body></html>\n' \
        "$release" "$IMAGE_NGINX_NAME" "$release" > "$rootfs/var/www/html/index.html"
}

# image_creation_date ENTRY: the creation date in a cached image's metadata.
image_creation_date() {
    tar -xJOf "$1/lxd.tar.xz" ./metadata.yaml | awk '/^creation_date:/ { print $2 }'
}

# Sets NGINX_ENTRIES to "ENTRY ALIAS" pairs, one per release, built from the Debian image entry $1 when missing.
ensure_nginx_images() {
    local debian=$1 release key entry staging
    NGINX_ENTRIES=()
    for release in $NGINX_RELEASES; do
        key=$(image_cache_key build_nginx_rootfs "$(image_fact "$debian" fingerprint)" "$release" \
            "$(declare -f write_metadata pack_image)")
        entry=$LAB_CACHE/images/nginx-$release-$key
        if [ ! -f "$entry/fingerprint" ]; then
            log "building $IMAGE_NGINX_NAME/$release from the Debian image"
            staging=$(new_staging_dir)
            build_nginx_rootfs "$staging/rootfs" "$debian" "$release"
            write_metadata "$staging/meta" "$(image_creation_date "$debian")" "$IMAGE_NGINX_NAME" "$release" \
                "nginx $release on Debian bookworm (LxdCompose lab)"
            pack_image "$staging" "$entry"
            rm -rf "$staging"
        fi
        NGINX_ENTRIES+=("$entry" "$IMAGE_NGINX_NAME/$release")
    done
}

# ensure_image_imported NAME ENTRY ALIAS PUBLIC: imports a cached image into a daemon and points the alias at it.
ensure_image_imported() {
    local name=$1 entry=$2 alias=$3 public=$4 current IMAGE_FINGERPRINT
    IMAGE_FINGERPRINT=$(image_fact "$entry" fingerprint)
    if ! lxc_admin "$name" image info "$IMAGE_FINGERPRINT" >/dev/null 2>&1; then
        local flags=()
        [ "$public" = yes ] && flags+=(--public)
        lxc_admin "$name" image import "$entry/lxd.tar.xz" "$entry/root.squashfs" "${flags[@]}" >/dev/null
    fi
    if [ "$public" = yes ]; then
        grep -q '^public: true' <<< "$(lxc_admin "$name" image show "$IMAGE_FINGERPRINT")" \
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
# Simplestreams: a static tree (streams/v1/index.json + images.json, split images) served by Debian's nginx over
# HTTPS with a self-signed certificate, on the management bridge's host address.

SIMPLESTREAMS_DIR=$LAB_ROOT/simplestreams
NGINX_DIR=$LAB_ROOT/nginx

# simplestreams_product ENTRY ALIAS: one product of images.json, in LXD's split form (lxd.tar.xz + squashfs).
simplestreams_product() {
    local entry=$1 alias=$2 fingerprint
    fingerprint=$(image_fact "$entry" fingerprint)
    jq -n --arg alias "$alias" --arg os "$(image_fact "$entry" os)" --arg release "$(image_fact "$entry" release)" \
        --arg serial "$(image_fact "$entry" serial)" --arg fingerprint "$fingerprint" \
        --arg meta_sha256 "$(image_fact "$entry" lxd.tar.xz.sha256)" \
        --arg root_sha256 "$(image_fact "$entry" root.squashfs.sha256)" \
        --argjson meta_size "$(stat -c %s "$entry/lxd.tar.xz")" \
        --argjson root_size "$(stat -c %s "$entry/root.squashfs")" '
        { ("\($os):\($release):amd64:default"): {
            aliases: $alias, arch: "amd64", os: $os, release: $release, release_title: $release,
            variant: "default", versions: { ($serial): { items: {
                "lxd.tar.xz": { ftype: "lxd.tar.xz", path: "images/\($fingerprint)/lxd.tar.xz", sha256: $meta_sha256,
                                size: $meta_size, combined_squashfs_sha256: $fingerprint },
                "root.squashfs": { ftype: "squashfs", path: "images/\($fingerprint)/root.squashfs",
                                   sha256: $root_sha256, size: $root_size } } } } } }'
}

# write_simplestreams ENTRY ALIAS [ENTRY ALIAS]...: the whole tree, rebuilt; image files are hard links into the
# cache (copies when the cache is on another file system).
write_simplestreams() {
    local staging=$SIMPLESTREAMS_DIR.new products=() entry alias fingerprint
    rm -rf "$staging"
    mkdir -p "$staging/streams/v1" "$staging/images"
    while [ $# -gt 0 ]; do
        entry=$1 alias=$2
        shift 2
        fingerprint=$(image_fact "$entry" fingerprint)
        mkdir -p "$staging/images/$fingerprint"
        for file in lxd.tar.xz root.squashfs; do
            ln "$entry/$file" "$staging/images/$fingerprint/$file" 2>/dev/null \
                || cp "$entry/$file" "$staging/images/$fingerprint/$file"
        done
        products+=("$(simplestreams_product "$entry" "$alias")")
    done
    printf '%s\n' "${products[@]}" | jq -s 'add | { content_id: "images", datatype: "image-downloads",
        format: "products:1.0", products: . }' > "$staging/streams/v1/images.json"
    jq '{ format: "index:1.0", index: { images: { datatype: "image-downloads", path: "streams/v1/images.json",
        format: "products:1.0", products: (.products | keys) } } }' "$staging/streams/v1/images.json" \
        > "$staging/streams/v1/index.json"
    chmod -R a+rX "$staging"
    # Others may be downloading from the tree: an unchanged tree stays, a changed one is swapped in by two renames.
    if cmp -s "$staging/streams/v1/images.json" "$SIMPLESTREAMS_DIR/streams/v1/images.json"; then
        rm -rf "$staging"
        return 0
    fi
    rm -rf "$SIMPLESTREAMS_DIR.old"
    [ -d "$SIMPLESTREAMS_DIR" ] && mv "$SIMPLESTREAMS_DIR" "$SIMPLESTREAMS_DIR.old"
    mv "$staging" "$SIMPLESTREAMS_DIR"
    rm -rf "$SIMPLESTREAMS_DIR.old"
    forget_simplestreams_caches
}

# The daemons keep a simplestreams server's index for an hour (in <state dir>/cache/<sha256 of the URL>/); after the
# tree changed, running VMs would not see new images until then. Their copies of this server's index go.
forget_simplestreams_caches() {
    local url=https://$MGMT_HOST_ADDRESS:$SIMPLESTREAMS_PORT hash
    for hash in $(printf '%s' "$url" | sha256sum | cut -d' ' -f1) $(printf '%s/' "$url" | sha256sum | cut -d' ' -f1); do
        rm -rf "$VMS_DIR"/*/lxd/cache/"$hash" "$VMS_DIR"/*/incus/cache/"$hash"
    done
}

nginx_pid() { [ -f "$NGINX_DIR/nginx.pid" ] && cat "$NGINX_DIR/nginx.pid"; }

nginx_running() {
    local pid
    pid=$(nginx_pid) && [ -n "$pid" ] && [ -d "/proc/$pid" ] \
        && [[ $(tr '\0' ' ' < "/proc/$pid/cmdline") == *"$NGINX_DIR/nginx.conf"* ]]
}

# Starts (or reloads) the lab's own nginx instance; the system's nginx service, if any, is not involved.
ensure_simplestreams_server() {
    mkdir -p "$NGINX_DIR/tmp"
    if [ ! -s "$NGINX_DIR/server.crt" ]; then
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
            -keyout "$NGINX_DIR/server.key" -out "$NGINX_DIR/server.crt" -subj "/O=LxdCompose lab/CN=$MGMT_HOST_ADDRESS" \
            -addext "subjectAltName=IP:$MGMT_HOST_ADDRESS" 2>/dev/null
    fi
    cat > "$NGINX_DIR/nginx.conf" <<EOF
# The lab's simplestreams server (written by tests/lab/lab.sh).
user www-data;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 64; }
http {
    access_log $NGINX_DIR/access.log;
    client_body_temp_path $NGINX_DIR/tmp/body;
    proxy_temp_path $NGINX_DIR/tmp/proxy;
    fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
    uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
    scgi_temp_path $NGINX_DIR/tmp/scgi;
    types { application/json json; }
    default_type application/octet-stream;
    server {
        listen $MGMT_HOST_ADDRESS:$SIMPLESTREAMS_PORT ssl;
        ssl_certificate $NGINX_DIR/server.crt;
        ssl_certificate_key $NGINX_DIR/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $SIMPLESTREAMS_DIR;
    }
}
EOF
    nginx -t -q -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log"
    if nginx_running; then
        nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" -s reload
    else
        stop_owned_processes "$NGINX_DIR" "$NAME_PREFIX-no-netns"
        nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" </dev/null >/dev/null 2>&1 9>&- \
            || { tail -n 5 "$NGINX_DIR/error.log" >&2; die "nginx did not start"; }
    fi
    wait_until 10 "nginx to serve the simplestreams index" curl -sf --cacert "$NGINX_DIR/server.crt" \
        "https://$MGMT_HOST_ADDRESS:$SIMPLESTREAMS_PORT/streams/v1/index.json"
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
    if [ "$(vm_kind "$name")" = incus ]; then
        trust_client_on_incus "$name" "$address" "$fingerprint"
    elif grep -q "${fingerprint:0:12}" <<< "$(lxc_admin "$name" config trust list --format csv)"; then
        quiet lxc_client remote add "$name" "https://$address:$API_PORT" --accept-certificate
    else
        token=$(lxc_admin "$name" config trust add --name lxdcompose-lab-client --quiet | tail -n1)
        quiet lxc_client remote add "$name" "$token"
        lxc_client remote set-url "$name" "https://$address:$API_PORT"
    fi
}

# Incus tokens are redeemed by the incus client (its request differs from lxc's), from a scratch config dir that
# holds the lab's client certificate.
trust_client_on_incus() {
    local name=$1 address=$2 fingerprint=$3 token scratch
    if ! grep -q "${fingerprint:0:12}" <<< "$(lxc_admin "$name" config trust list --format csv)"; then
        token=$(lxc_admin "$name" config trust add lxdcompose-lab-client --quiet | tail -n1)
        scratch=$(mktemp -d "$LAB_ROOT/incus-conf.XXXXXX")
        cp "$CONF_DIR/client.crt" "$CONF_DIR/client.key" "$scratch/"
        quiet env INCUS_CONF="$scratch" incus remote add "$name" "$token"
        rm -rf "$scratch"
    fi
    mkdir -p "$CONF_DIR/servercerts"
    cp "$(vm_daemon_dir "$name")/server.crt" "$CONF_DIR/servercerts/$name.crt"
}

# The lab's VMs as lab.env and config.yml list them: those of `up` (vm1..vmN), those `add` made, and whether incus1
# is up.
LAB_BASE_VMS=()
LAB_ADDED_VMS=()
LAB_WITH_INCUS=no

# Reads the lists above from lab.env (for add and remove, which change only the added VMs).
read_lab_vms() {
    [ -f "$LAB_ENV" ] || die "the lab is not up: run \`bash $0 up\` first"
    local values
    # shellcheck disable=SC1090
    values=$(. "$LAB_ENV" && printf '%s\n%s\n%s\n' "$LXDCOMPOSE_LAB_VMS" "${LXDCOMPOSE_LAB_ADDED_VMS:-}" "${LXDCOMPOSE_LAB_INCUS_SOCKET:-}")
    read -r -a LAB_BASE_VMS <<< "$(sed -n 1p <<< "$values")"
    read -r -a LAB_ADDED_VMS <<< "$(sed -n 2p <<< "$values")"
    if [ -n "$(sed -n 3p <<< "$values")" ]; then LAB_WITH_INCUS=yes; else LAB_WITH_INCUS=no; fi
}

# write_client_conf VM_NAMES...: trust on every VM and config.yml with every remote, rewritten from scratch (up).
write_client_conf() {
    local name
    rm -rf "$CONF_DIR/servercerts" "$CONF_DIR/config.yml"
    printf 'default-remote: local\nremotes: {}\naliases: {}\n' > "$CONF_DIR/config.yml"
    for name in "${LAB_BASE_VMS[@]}"; do
        trust_client_on "$name" "$(vm_address "$name")"
    done
    quiet lxc_client remote add imgsrv "https://$IMGSRV_ADDRESS:$API_PORT" --public --accept-certificate
    cp "$NGINX_DIR/server.crt" "$CONF_DIR/servercerts/myserver.crt"
    cp "$NGINX_DIR/server.crt" "$CONF_DIR/servercerts/images.crt"
    [ "$LAB_WITH_INCUS" = yes ] && trust_client_on "$INCUS_NAME" "$INCUS_ADDRESS"
    # lxc wrote the server certificates; the final config.yml is ours, with every field explicit.
    write_config_yml
}

# trust_client_on_added NAME: the lab's client certificate trusted on an added VM through a token, redeemed from a
# scratch config dir, and the VM's certificate pinned: the shared config dir is never half-written while others read it.
trust_client_on_added() {
    local name=$1 fingerprint token scratch
    fingerprint=$(client_fingerprint)
    if ! grep -q "${fingerprint:0:12}" <<< "$(lxc_admin "$name" config trust list --format csv)"; then
        token=$(lxc_admin "$name" config trust add --name lxdcompose-lab-client --quiet | tail -n1)
        scratch=$(mktemp -d "$LAB_ROOT/lxc-conf.XXXXXX")
        cp "$CONF_DIR/client.crt" "$CONF_DIR/client.key" "$scratch/"
        quiet env LXD_CONF="$scratch" lxc remote add "$name" "$token"
        rm -rf "$scratch"
    fi
    cp "$(vm_daemon_dir "$name")/server.crt" "$CONF_DIR/servercerts/.$name.crt.new"
    mv "$CONF_DIR/servercerts/.$name.crt.new" "$CONF_DIR/servercerts/$name.crt"
}

# config.yml from the lists above, replaced in one rename.
write_config_yml() {
    local name tmp
    tmp=$(mktemp "$CONF_DIR/.config.yml.XXXXXX")
    {
        echo "default-remote: ${LAB_BASE_VMS[0]}"
        echo "remotes:"
        for name in "${LAB_BASE_VMS[@]}" "${LAB_ADDED_VMS[@]}"; do
            remote_yaml "$name" "https://$(vm_address "$name"):$API_PORT" lxd false tls
        done
        remote_yaml imgsrv "https://$IMGSRV_ADDRESS:$API_PORT" lxd true tls
        remote_yaml myserver "https://$MGMT_HOST_ADDRESS:$SIMPLESTREAMS_PORT" simplestreams true tls
        # lxc's built-in "images" is a public server; the lab reaches nothing outside the machine, so its own
        # simplestreams server takes that name too (a spec without image_remote_server, a P2P search).
        remote_yaml images "https://$MGMT_HOST_ADDRESS:$SIMPLESTREAMS_PORT" simplestreams true tls
        if [ "$LAB_WITH_INCUS" = yes ]; then
            remote_yaml "$INCUS_NAME" "https://$INCUS_ADDRESS:$API_PORT" incus false tls
        fi
        echo "aliases: {}"
    } > "$tmp"
    chmod 644 "$tmp"
    mv "$tmp" "$CONF_DIR/config.yml"
}

remote_yaml() {
    printf '  %s:\n    addr: %s\n    protocol: %s\n    public: %s\n    auth_type: %s\n    project: default\n' "$@"
}

# ---------------------------------------------------------------------------------------------------------------
# lab.env

# A VM's name in lab.env keys: shell variable names have no "-" (vm1-new: LXDCOMPOSE_LAB_SOCKET_vm1_new).
env_key() { echo "${1//-/_}"; }

write_lab_env() {
    local name tmp
    tmp=$(mktemp "$LAB_ROOT/lab.env.XXXXXX")
    {
        echo "# Written by tests/lab/lab.sh up (and add, remove); see docs/lab.md."
        echo "LXDCOMPOSE_LAB_CONF=$CONF_DIR"
        echo "LXDCOMPOSE_LAB_VMS=\"${LAB_BASE_VMS[*]}\""
        echo "LXDCOMPOSE_LAB_ADDED_VMS=\"${LAB_ADDED_VMS[*]}\""
        for name in "${LAB_BASE_VMS[@]}" "${LAB_ADDED_VMS[@]}"; do
            echo "LXDCOMPOSE_LAB_SOCKET_$(env_key "$name")=$(vm_daemon_dir "$name")/unix.socket"
            echo "LXDCOMPOSE_LAB_ADDRESS_$(env_key "$name")=https://$(vm_address "$name"):$API_PORT"
        done
        echo "LXDCOMPOSE_LAB_IMAGE_BUSYBOX=$IMAGE_BUSYBOX_ALIAS"
        echo "LXDCOMPOSE_LAB_IMAGE_DEBIAN=$IMAGE_DEBIAN_ALIAS"
        echo "LXDCOMPOSE_LAB_IMAGE_NGINX=\"$(for release in $NGINX_RELEASES; do printf '%s/%s ' "$IMAGE_NGINX_NAME" "$release"; done | sed 's/ $//')\""
        echo "LXDCOMPOSE_LAB_SIMPLESTREAMS=https://$MGMT_HOST_ADDRESS:$SIMPLESTREAMS_PORT/"
        echo "LXDCOMPOSE_LAB_LOGS=$LOGS_DIR"
        if [ "$LAB_WITH_INCUS" = yes ]; then
            echo "LXDCOMPOSE_LAB_INCUS_SOCKET=$(vm_daemon_dir "$INCUS_NAME")/unix.socket"
            echo "LXDCOMPOSE_LAB_INCUS_ADDRESS=https://$INCUS_ADDRESS:$API_PORT"
        fi
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
    [ "$with_incus" = yes ] && timed "packages incus" install_incus_packages

    local vms=()
    for index in $(seq 1 "$vm_count"); do vms+=("vm$index"); done
    # VMs beyond the requested count (an earlier, bigger run) and those `add` made are removed.
    for name in $(existing_vms); do
        case " ${vms[*]} imgsrv $INCUS_NAME " in
            *" $name "*) ;;
            *) timed "remove $name" destroy_vm "$name" ;;
        esac
    done

    timed "bridges" bridges_up
    mkdir -p "$LOGS_DIR"
    publish_images
    local busybox=$BUSYBOX_ENTRY debian=$DEBIAN_ENTRY
    log "busybox image $(image_fact "$busybox" fingerprint)"
    log "debian image $(image_fact "$debian" fingerprint)"

    timed "imgsrv daemon" ensure_vm imgsrv "$IMGSRV_ADDRESS" no
    timed "imgsrv config" preseed_imgsrv
    timed "imgsrv image busybox" ensure_image_imported imgsrv "$busybox" "$IMAGE_BUSYBOX_ALIAS" yes
    timed "imgsrv image debian" ensure_image_imported imgsrv "$debian" "$IMAGE_DEBIAN_ALIAS" yes
    mark_configured imgsrv

    timed "simplestreams server" ensure_simplestreams_server

    for name in "${vms[@]}"; do
        timed "$name daemon" ensure_vm "$name" "$(vm_address "$name")" yes
        timed "$name config" preseed_vm "$name"
        timed "$name image busybox" ensure_image_imported "$name" "$busybox" "$IMAGE_BUSYBOX_ALIAS" no
        mark_configured "$name"
    done

    if [ "$with_incus" = yes ]; then
        timed "$INCUS_NAME daemon" ensure_vm "$INCUS_NAME" "$INCUS_ADDRESS" yes
        timed "$INCUS_NAME config" preseed_incus
        timed "$INCUS_NAME image busybox" ensure_image_imported "$INCUS_NAME" "$busybox" "$IMAGE_BUSYBOX_ALIAS" no
        mark_configured "$INCUS_NAME"
    elif [ -d "$(vm_dir "$INCUS_NAME")" ]; then
        timed "remove $INCUS_NAME" destroy_vm "$INCUS_NAME"
    fi

    timed "client config" ensure_client_certificate
    LAB_BASE_VMS=("${vms[@]}")
    LAB_ADDED_VMS=()
    LAB_WITH_INCUS=$with_incus
    timed "client trust" write_client_conf
    write_lab_env
    log "lab up in $(elapsed_since "$start") s; environment: $LAB_ENV"
    cat "$LAB_ENV"
}

# add NAME...: more LXD "VMs" (vmN, or vmN-new to replace vmN) beside the running lab, which stays as it is: its
# daemons, containers and images are not touched; config.yml and lab.env gain the new VMs. Idempotent, like up.
cmd_add() {
    local name start added=()
    [ $# -gt 0 ] || die "usage: $0 add vmN|vmN-new..."
    for name in "$@"; do
        is_vm_name "$name" || die "cannot add '$name': VM names are vmN or vmN-new, N from 1 to 50"
    done
    start=$(now)
    read_lab_vms
    ip link show "$MGMT_BRIDGE" >/dev/null 2>&1 || die "the lab is not up (no $MGMT_BRIDGE): run \`bash $0 up\` first"
    for name in "$@"; do
        case " ${LAB_BASE_VMS[*]} " in
            *" $name "*) log "$name: part of the lab already (up --vms)" ;;
            *) added+=("$name") ;;
        esac
    done
    [ ${#added[@]} -gt 0 ] || return 0

    publish_images
    mkdir -p "$LOGS_DIR"
    for name in "${added[@]}"; do
        timed "$name daemon" ensure_vm "$name" "$(vm_address "$name")" yes
        timed "$name config" preseed_vm "$name"
        timed "$name image busybox" ensure_image_imported "$name" "$BUSYBOX_ENTRY" "$IMAGE_BUSYBOX_ALIAS" no
        timed "$name client trust" trust_client_on_added "$name"
        mark_configured "$name"
    done
    mapfile -t LAB_ADDED_VMS < <(printf '%s\n' "${LAB_ADDED_VMS[@]}" "${added[@]}" | sed '/^$/d' | sort -uV)
    write_config_yml
    write_lab_env
    log "added ${added[*]} in $(elapsed_since "$start") s; environment: $LAB_ENV"
}

# remove NAME...: removes VMs that add made (a VMware admin shutting down a VM); those of up stay.
cmd_remove() {
    local name remaining=()
    [ $# -gt 0 ] || die "usage: $0 remove vmN|vmN-new..."
    read_lab_vms
    for name in "$@"; do
        case " ${LAB_BASE_VMS[*]} " in
            *" $name "*) die "$name belongs to up --vms; remove it with \`bash $0 up --vms <fewer>\` or down" ;;
        esac
        is_vm_name "$name" || die "'$name' is not a VM name (vmN or vmN-new)"
    done
    for name in "$@"; do
        [ -d "$(vm_dir "$name")" ] && timed "remove $name" destroy_vm "$name"
        rm -f "$CONF_DIR/servercerts/$name.crt"
    done
    for name in "${LAB_ADDED_VMS[@]}"; do
        case " $* " in *" $name "*) ;; *) remaining+=("$name") ;; esac
    done
    LAB_ADDED_VMS=("${remaining[@]}")
    write_config_yml
    write_lab_env
}

# freeze|thaw|kill|restart NAME: faults of one daemon for the fault tests. Only VMs that add made: the VMs of up
# and incus1 serve every other test at the same time. freeze is SIGSTOP (the daemon's sockets stay open and answer
# nothing, like a hung server), thaw SIGCONT, kill SIGKILL of the daemon alone (its containers keep running, as after
# a crash), restart starts the daemon again on its state dir when it is not running (it takes its containers back).
cmd_fault() {
    local fault=$1 name=${2:-} pid
    [ -n "$name" ] || die "usage: $0 $fault vmN|vmN-new"
    read_lab_vms
    case " ${LAB_ADDED_VMS[*]} " in
        *" $name "*) ;;
        *) die "$fault works only on a VM that add made (others use the VMs of up): \`bash $0 add $name\` first" ;;
    esac
    pid=$(daemon_pid "$name" || true)
    case $fault in
        freeze | thaw | kill)
            [ -n "$pid" ] && [ -d "/proc/$pid" ] || die "the daemon of $name is not running"
            case $fault in
                freeze) kill -STOP "$pid" ;;
                thaw) kill -CONT "$pid" ;;
                kill)
                    kill -KILL "$pid"
                    wait_until 10 "the daemon of $name to exit" bash -c '[ ! -d /proc/$1 ] || [ "$(awk "{print \$3}" /proc/$1/stat 2>/dev/null)" = Z ]' _ "$pid"
                    ;;
            esac
            ;;
        restart)
            if [ -n "$pid" ] && [ -d "/proc/$pid" ]; then
                kill -CONT "$pid"
                daemon_healthy "$name" && { log "$name: the daemon runs (pid $pid)"; return 0; }
                die "the daemon of $name runs (pid $pid) but does not answer: kill it first"
            fi
            timed "$name daemon restart" start_daemon "$name" "$(vm_address "$name")"
            ;;
    esac
    log "$name: $fault done"
}

# Sets BUSYBOX_ENTRY, DEBIAN_ENTRY and NGINX_ENTRIES from the image cache (building what is missing) and publishes
# them all on the simplestreams server (a no-op when the published tree is already current).
publish_images() {
    timed "image busybox" ensure_busybox_image
    BUSYBOX_ENTRY=$IMAGE_ENTRY
    timed "image debian" ensure_debian_image
    DEBIAN_ENTRY=$IMAGE_ENTRY
    timed "images nginx" ensure_nginx_images "$DEBIAN_ENTRY"
    timed "simplestreams tree" write_simplestreams "$BUSYBOX_ENTRY" "$IMAGE_BUSYBOX_ALIAS" "$DEBIAN_ENTRY" \
        "$IMAGE_DEBIAN_ALIAS" "${NGINX_ENTRIES[@]}"
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
    stop_owned_processes "$LAB_ROOT" "$NAME_PREFIX-*"
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
    # The package list needs neither root nor the lock.
    if [ "${1:-}" = packages ]; then list_packages "${2:-}"; return 0; fi
    [ "$(id -u)" -eq 0 ] || die "the lab needs root: sudo bash $0 $*"
    # One lab command at a time on this machine. Daemons the lab starts get fd 9 closed, or they would hold the lock.
    exec 9>/run/lxdcompose-lab.lock
    flock -w 900 9 || die "another lab command holds /run/lxdcompose-lab.lock"
    local command=${1:-}
    [ $# -gt 0 ] && shift
    case $command in
        up) cmd_up "$@" ;;
        down) cmd_down "$@" ;;
        status) cmd_status "$@" || exit 1 ;;
        tools) install_test_tools ;;
        add) cmd_add "$@" ;;
        remove) cmd_remove "$@" ;;
        freeze | thaw | kill | restart) cmd_fault "$command" "$@" ;;
        *) echo "usage: $0 up [--vms N] [--incus] | down | status | tools | packages [--installed] | add vmN|vmN-new... | remove vmN|vmN-new... | freeze|thaw|kill|restart vmN|vmN-new" >&2; exit 2 ;;
    esac
}

# Sourcing the script (for tests of its functions) defines them without running a command.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
