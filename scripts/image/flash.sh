#!/usr/bin/env bash
# Writes a kiosk image to a removable disk (SD card or USB stick), after
# checking that the target is removable and not mounted, and verifies it.
#
# Usage: sudo scripts/image/flash.sh IMAGE /dev/sdX
set -euo pipefail
img=${1:?usage: flash.sh IMAGE /dev/sdX}
dev=${2:?usage: flash.sh IMAGE /dev/sdX}

[ -f "$img" ] || { echo "flash: no image $img" >&2; exit 1; }
[ -b "$dev" ] || { echo "flash: $dev is not a block device" >&2; exit 1; }
name=$(basename "$dev")
if [ "$(cat "/sys/block/$name/removable" 2>/dev/null || echo 0)" != 1 ]; then
	echo "flash: $dev is not removable; refusing (this is not how a kiosk's own disk is written)" >&2
	exit 1
fi
if lsblk -no MOUNTPOINT "$dev" | grep -q .; then
	echo "flash: $dev has mounted partitions; unmount them first" >&2
	exit 1
fi
echo "writing $img to $dev"
dd if="$img" of="$dev" bs=4M conv=fsync status=progress
echo "verifying"
size=$(stat -c %s "$img")
if cmp -n "$size" "$img" "$dev"; then echo "flash: ok"; else echo "flash: verify FAILED" >&2; exit 1; fi
