#!/usr/bin/env bash
# End-to-end check of the lab contract (docs/lab.md): run after `lab.sh up`, as root.
#   bash tests/lab/smoke.sh [--quick]      (--quick skips the Debian/systemd container)
# Prints one line per check and closes with "smoke: N checks passed, N failed"; exits non-zero on any failure.
set -uo pipefail

LAB_ENV_FILE=${LXDCOMPOSE_LAB_ENV:-/var/lib/lxdcompose-lab/lab.env}
QUICK=no
[ "${1:-}" = --quick ] && QUICK=yes

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '      %s\n' "$2"; }

# check DESCRIPTION COMMAND...: passes when the command succeeds; shows its output when it does not.
check() {
    local description=$1 output
    shift
    if output=$("$@" 2>&1); then pass "$description"; else fail "$description" "$(printf '%s' "$output" | tail -n 5)"; fi
}

finish() {
    echo "smoke: $passed checks passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

if [ ! -f "$LAB_ENV_FILE" ]; then
    fail "lab.env at $LAB_ENV_FILE" "the LXD lab is not up: run \`sudo bash tests/lab/lab.sh up\`"
    finish
fi
# shellcheck disable=SC1090
. "$LAB_ENV_FILE"
pass "lab.env at $LAB_ENV_FILE"

CONF=$LXDCOMPOSE_LAB_CONF
lxc_lab() { LXD_CONF=$CONF lxc "$@"; }

# https_get URL CA: GET with the lab's client certificate, verifying the server against its pinned certificate.
https_get() {
    curl -sS --fail --max-time 10 --cacert "$2" --cert "$CONF/client.crt" --key "$CONF/client.key" "$1"
}

expect_json() {
    # expect_json JQ_FILTER: stdin must make the filter true.
    jq -e "$1" >/dev/null
}

# The VMs of up and those lab.sh add made; lab.env keys spell "-" in VM names as "_".
for vm in $LXDCOMPOSE_LAB_VMS ${LXDCOMPOSE_LAB_ADDED_VMS:-}; do
    address_var=LXDCOMPOSE_LAB_ADDRESS_${vm//-/_}
    socket_var=LXDCOMPOSE_LAB_SOCKET_${vm//-/_}
    address=${!address_var}
    socket=${!socket_var}
    check "$vm: https $address trusts the client certificate" \
        bash -c "$(declare -f https_get expect_json); CONF='$CONF'; https_get '$address/1.0' '$CONF/servercerts/$vm.crt' | expect_json '.metadata.auth == \"trusted\"'"
    check "$vm: unix socket $socket answers" \
        bash -c "curl -sS --fail --max-time 10 --unix-socket '$socket' http://lxd/1.0 | jq -e '.metadata.auth == \"trusted\"' >/dev/null"
    check "$vm: image $LXDCOMPOSE_LAB_IMAGE_BUSYBOX present" \
        bash -c "curl -sS --fail --max-time 10 --unix-socket '$socket' 'http://lxd/1.0/images/aliases/$LXDCOMPOSE_LAB_IMAGE_BUSYBOX' | jq -e '.metadata.target | length == 64' >/dev/null"
    check "$vm: storage pool default, network lxdbr0, profile default with root and eth0" \
        bash -c "curl -sS --fail --unix-socket '$socket' http://lxd/1.0/profiles/default | jq -e '.metadata.devices.root.pool == \"default\" and .metadata.devices.eth0.network == \"lxdbr0\"' >/dev/null"
done

check "lxc (LXD_CONF=conf dir) lists vm remotes, imgsrv and myserver" \
    bash -c "LXD_CONF='$CONF' lxc remote list --format csv | awk -F, '{print \$1}' | tr '\n' ' ' | grep -E 'imgsrv.*myserver' "
check "imgsrv: public images $LXDCOMPOSE_LAB_IMAGE_BUSYBOX and $LXDCOMPOSE_LAB_IMAGE_DEBIAN" \
    bash -c "LXD_CONF='$CONF' lxc image list imgsrv: --format csv | grep -F '$LXDCOMPOSE_LAB_IMAGE_BUSYBOX' && LXD_CONF='$CONF' lxc image list imgsrv: --format csv | grep -F '$LXDCOMPOSE_LAB_IMAGE_DEBIAN'"
check "myserver (simplestreams): lxc image list shows both images" \
    bash -c "LXD_CONF='$CONF' lxc image list myserver: --format csv | grep -F '$LXDCOMPOSE_LAB_IMAGE_BUSYBOX' && LXD_CONF='$CONF' lxc image list myserver: --format csv | grep -F '$LXDCOMPOSE_LAB_IMAGE_DEBIAN'"

# Every file the simplestreams index names is served with the size and sha256 it states.
verify_simplestreams() {
    local base=$LXDCOMPOSE_LAB_SIMPLESTREAMS ca=$CONF/servercerts/myserver.crt images path sha256 size actual
    curl -sS --fail --cacert "$ca" "${base}streams/v1/index.json" | jq -e '.index.images.path == "streams/v1/images.json"' >/dev/null || return 1
    images=$(curl -sS --fail --cacert "$ca" "${base}streams/v1/images.json") || return 1
    while read -r path sha256 size; do
        actual=$(curl -sS --fail --cacert "$ca" "$base$path" | tee >(wc -c > /tmp/lab-smoke-size.$$) | sha256sum | cut -d' ' -f1)
        [ "$actual" = "$sha256" ] || { echo "sha256 of $path: $actual, index says $sha256"; return 1; }
        [ "$(cat /tmp/lab-smoke-size.$$)" = "$size" ] || { echo "size of $path differs from the index"; return 1; }
    done < <(jq -r '.products[].versions[].items[] | "\(.path) \(.sha256) \(.size)"' <<<"$images")
    rm -f /tmp/lab-smoke-size.$$
}
check "simplestreams: index, images.json, files with the stated sha256 and size" verify_simplestreams
for nginx_image in ${LXDCOMPOSE_LAB_IMAGE_NGINX:-}; do
    check "myserver (simplestreams): lxc image list shows $nginx_image" \
        bash -c "LXD_CONF='$CONF' lxc image list myserver: --format csv | cut -d, -f1 | sed 's/ (.*//' | grep -qxF '$nginx_image'"
done

first_vm=${LXDCOMPOSE_LAB_VMS%% *}
last_vm=${LXDCOMPOSE_LAB_VMS##* }
for netns_vm in "$first_vm" "$last_vm"; do
    check "$netns_vm: reaches the simplestreams server from inside its namespace" \
        ip netns exec "lxdlab-$netns_vm" curl -sS --fail --max-time 5 --cacert "$CONF/servercerts/myserver.crt" \
        -o /dev/null "${LXDCOMPOSE_LAB_SIMPLESTREAMS}streams/v1/index.json"
done

container=smoke-$$
launch_and_exec() {
    # launch_and_exec SOURCE TARGET_REMOTE NAME
    LXD_CONF=$CONF lxc launch "$1" "$2:$3" >/dev/null || return 1
    [ "$(LXD_CONF=$CONF lxc exec "$2:$3" -- echo ok)" = ok ]
}
cleanup_container() { LXD_CONF=$CONF lxc delete --force "$1" >/dev/null 2>&1 || true; }

check "lxc launch imgsrv:$LXDCOMPOSE_LAB_IMAGE_BUSYBOX $first_vm:$container; exec echo ok" \
    launch_and_exec "imgsrv:$LXDCOMPOSE_LAB_IMAGE_BUSYBOX" "$first_vm" "$container"
check "$first_vm:$container gets an address from the VM's bridge" \
    bash -c "for i in \$(seq 50); do LXD_CONF='$CONF' lxc list '$first_vm:$container' --format csv -c 4 | grep -q 198.18. && exit 0; sleep 0.1; done; exit 1"
cleanup_container "$first_vm:$container"

check "lxc launch myserver:$LXDCOMPOSE_LAB_IMAGE_BUSYBOX $last_vm:$container; exec echo ok" \
    launch_and_exec "myserver:$LXDCOMPOSE_LAB_IMAGE_BUSYBOX" "$last_vm" "$container"
cleanup_container "$last_vm:$container"

check "$first_vm: local image $LXDCOMPOSE_LAB_IMAGE_BUSYBOX launches" \
    launch_and_exec "$first_vm:$LXDCOMPOSE_LAB_IMAGE_BUSYBOX" "$first_vm" "$container"
cleanup_container "$first_vm:$container"

# srv0 handed to a container as a physical NIC reaches the vSwitch's host address.
physical_nic() {
    LXD_CONF=$CONF lxc init "$first_vm:$LXDCOMPOSE_LAB_IMAGE_BUSYBOX" "$first_vm:$container" >/dev/null || return 1
    LXD_CONF=$CONF lxc config device add "$first_vm:$container" srv0 nic nictype=physical parent=srv0 name=srv0 >/dev/null || return 1
    LXD_CONF=$CONF lxc start "$first_vm:$container" || return 1
    LXD_CONF=$CONF lxc exec "$first_vm:$container" -- sh -c \
        'ip addr add 198.18.20.250/24 dev srv0 && ip link set srv0 up && ping -c 1 -W 5 198.18.20.1'
}
check "$first_vm: srv0 as a physical NIC comes up and reaches 198.18.20.1" physical_nic
cleanup_container "$first_vm:$container"

if [ "$QUICK" = no ]; then
    debian_container() {
        local state
        LXD_CONF=$CONF lxc launch "imgsrv:$LXDCOMPOSE_LAB_IMAGE_DEBIAN" "$first_vm:$container" >/dev/null || return 1
        # Until systemd's bus exists, systemctl cannot ask; poll that, bounded, then let it wait for the boot.
        state=$(LXD_CONF=$CONF lxc exec "$first_vm:$container" -- sh -c 'i=0; while [ $i -lt 300 ]; do
            s=$(systemctl is-system-running --wait 2>/dev/null)
            case "$s" in running|degraded|maintenance|stopping) break ;; esac
            i=$((i + 1)); sleep 0.2; done; echo "${s:-no systemd bus}"')
        case $state in running|degraded) ;; *) echo "systemd state: $state"; return 1 ;; esac
        LXD_CONF=$CONF lxc exec "$first_vm:$container" -- systemctl is-active nginx || return 1
        LXD_CONF=$CONF lxc exec "$first_vm:$container" -- sh -c 'jq --version && bash --version | head -n1 && ip -4 -o addr show eth0 | grep -q "inet 198.18."'
    }
    check "$first_vm: Debian image boots systemd, runs nginx, has jq, bash, iproute2 and an eth0 address" debian_container
    cleanup_container "$first_vm:$container"
fi

if [ -n "${LXDCOMPOSE_LAB_INCUS_ADDRESS:-}" ]; then
    check "incus1: https $LXDCOMPOSE_LAB_INCUS_ADDRESS trusts the client certificate" \
        bash -c "$(declare -f https_get expect_json); CONF='$CONF'; https_get '$LXDCOMPOSE_LAB_INCUS_ADDRESS/1.0' '$CONF/servercerts/incus1.crt' | expect_json '.metadata.auth == \"trusted\"'"
    check "incus1: unix socket answers" \
        bash -c "curl -sS --fail --max-time 10 --unix-socket '$LXDCOMPOSE_LAB_INCUS_SOCKET' http://incus/1.0 | jq -e '.metadata.auth == \"trusted\"' >/dev/null"
    incus_container() {
        LXD_CONF=$CONF lxc launch "incus1:$LXDCOMPOSE_LAB_IMAGE_BUSYBOX" "incus1:$container" >/dev/null || return 1
        [ "$(LXD_CONF=$CONF lxc exec "incus1:$container" -- echo ok)" = ok ]
    }
    check "incus1: a busybox container starts and execs" incus_container
    cleanup_container "incus1:$container"
fi

finish
