#!/usr/bin/env bash
# Builds a flashable kiosk image for an arm64 board: a minimal Debian root
# file system (debootstrap), the kiosk binary cross-compiled with cgo off,
# its units, udev rules and default config, packed as a raw disk image.
#
# Usage: sudo scripts/image/build-image.sh [OUT.img]
# Needs: debootstrap, qemu-user-static and binfmt-support (for the second
#        stage on an amd64 host), parted, e2fsprogs, dosfstools; a Debian mirror.
# The board's boot loader and kernel differ by model: BOARD_HOOK, when set,
# is a script run with the root folder as its argument to add them.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/bin/kiosk-arm64.img}
suite=${SUITE:-bookworm}
mirror=${MIRROR:-http://deb.debian.org/debian}
size_mb=${SIZE_MB:-2048}
work=$(mktemp -d)
trap 'umount -R "$work/mnt" 2>/dev/null || true; losetup -D 2>/dev/null || true; rm -rf "$work"' EXIT

[ "$(id -u)" = 0 ] || { echo "build-image: run as root (debootstrap, loop devices)" >&2; exit 1; }

echo "== kiosk binary (linux/arm64, cgo off)"
(cd "$here" && CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -trimpath -ldflags='-s -w' -o "$work/kiosk" ./cmd/kiosk)

echo "== root file system ($suite arm64)"
root=$work/root
debootstrap --arch=arm64 --variant=minbase \
	--include=systemd-sysv,udev,cage,foot,fonts-dejavu-core,ca-certificates,iproute2,openssh-server \
	"$suite" "$root" "$mirror"

install -m 0755 "$work/kiosk" "$root/usr/local/bin/kiosk"
install -m 0644 "$here/scripts/systemd/kiosk.service" "$root/etc/systemd/system/kiosk.service"
install -m 0644 "$here/scripts/udev/99-kiosk-devices.rules" "$root/etc/udev/rules.d/99-kiosk-devices.rules"
install -d -m 0755 "$root/etc/kiosk"
install -m 0640 "$here/config/kiosk.example.toml" "$root/etc/kiosk/kiosk.toml"
chroot "$root" /bin/sh -e <<'CHROOT'
useradd --system --create-home --home-dir /var/lib/kiosk --shell /usr/sbin/nologin kiosk || true
chgrp kiosk /etc/kiosk/kiosk.toml
systemctl enable kiosk.service
systemctl set-default graphical.target
# No console logins on the visitor's screen.
systemctl mask getty@tty1.service
CHROOT
if [ -n "${BOARD_HOOK:-}" ]; then "$BOARD_HOOK" "$root"; fi

echo "== disk image ($size_mb MiB)"
truncate -s "${size_mb}M" "$out"
parted -s "$out" mklabel gpt mkpart boot fat32 1MiB 257MiB set 1 esp on mkpart root ext4 257MiB 100%
loop=$(losetup --show -fP "$out")
mkfs.vfat -n BOOT "${loop}p1" >/dev/null
mkfs.ext4 -q -L kiosk-root "${loop}p2"
mkdir -p "$work/mnt"
mount "${loop}p2" "$work/mnt"
mkdir -p "$work/mnt/boot/efi"
mount "${loop}p1" "$work/mnt/boot/efi"
cp -a "$root/." "$work/mnt/"
sync
echo "image: $out"
