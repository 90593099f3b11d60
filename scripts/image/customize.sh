#!/bin/sh
# mmdebstrap customize hook for build-image.sh: $1 is the new root. Runs
# on the build host; commands for the root go through chroot.
set -eu
root=$1

# The kiosk's user, with a fixed id so the data partition's owner and the
# image's bytes do not depend on the order packages made their users.
chroot "$root" groupadd --system --gid 990 kiosk
chroot "$root" useradd --system --uid 990 --gid kiosk --groups dialout,lp,video,input,render \
	--home-dir /var/lib/kiosk --no-create-home --shell /usr/sbin/nologin kiosk
# Nobody logs in: root has no password, and there is no SSH server.
chroot "$root" passwd --lock root >/dev/null

# The kiosk on the screen, nothing else: no login prompt on tty1, no
# first-boot questions (the empty machine-id makes every boot a first boot).
chroot "$root" systemctl enable kiosk.service kiosk-smoke.service kiosk-smoke-update.service kiosk-smoke-status.service >/dev/null 2>&1
chroot "$root" systemctl set-default graphical.target >/dev/null 2>&1
chroot "$root" systemctl mask getty@tty1.service systemd-firstboot.service >/dev/null 2>&1
ln -sf /usr/share/zoneinfo/Asia/Almaty "$root/etc/localtime"
echo Asia/Almaty >"$root/etc/timezone"

# machine-id empty: systemd makes one in memory at each boot, so no two
# kiosks share an id from the image.
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
mkdir -p "$root/efi" "$root/var/lib/kiosk"

# What differs from build to build and means nothing on a read-only root.
rm -f "$root/var/cache/ldconfig/aux-cache" "$root/var/log/"*.log "$root/var/log/apt/"* \
	"$root/var/lib/dpkg/"*-old "$root/etc/"*- "$root/var/cache/debconf/"*-old
rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/tmp/"*
