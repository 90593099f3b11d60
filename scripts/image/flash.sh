#!/usr/bin/env bash
# Writes a signed kiosk image to a disk and reads it back.
#
# Usage: sudo scripts/image/flash.sh IMAGE DEVICE [--yes] [--allow-fixed] [--allow-large] [--pub KEY]
#
# IMAGE is the build's folder (kiosk-<version>.img.zst, kiosk-<version>.bmap,
# SHA256SUMS, SHA256SUMS.sig) or the .img.zst in it. In this order, and
# before anything is written:
#   - the signature of SHA256SUMS (key: --pub, else $KIOSK_RELEASE_PUB, else
#     the development key var/keys/dev-release.pub, with a warning) and the
#     hash of every file it lists;
#   - DEVICE must be a whole disk (a loop device counts as one), not the
#     disk holding / or /boot or /boot/efi, with nothing mounted, no swap,
#     no LVM or RAID member on it, removable (or USB) unless --allow-fixed,
#     at most 256 GB unless --allow-large, and large enough for the image;
#   - its model, serial and size are shown and its name must be typed back
#     (--yes skips that, for automation).
# Then bmaptool copy writes the mapped blocks, "kiosk read-back" reads every
# one back from the medium against the bmap's SHA-256, the backup GPT moves
# to the disk's end, and a one-line flash record is printed and appended to
# $KIOSK_FLASH_LOG (default var/flash-records.log).
#
# The kiosk binary is $KIOSK_BIN, else built from this repository.
# Exit status: 0 written and read back; 1 the write or the read-back
# failed; 2 refused, nothing written (the reason on one line).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

refuse() {
	echo "flash: refused: $*" >&2
	exit 2
}
fail() {
	echo "flash: FAILED: $*" >&2
	exit 1
}
usage() {
	echo "usage: flash.sh IMAGE DEVICE [--yes] [--allow-fixed] [--allow-large] [--pub KEY]" >&2
	exit 2
}

yes=0 allow_fixed=0 allow_large=0 pub=${KIOSK_RELEASE_PUB:-}
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--yes) yes=1 ;;
	--allow-fixed) allow_fixed=1 ;;
	--allow-large) allow_large=1 ;;
	--pub)
		[ $# -ge 2 ] || usage
		pub=$2
		shift
		;;
	--pub=*) pub=${1#--pub=} ;;
	-h | --help) usage ;;
	-*)
		echo "flash: unknown option $1" >&2
		usage
		;;
	*) args+=("$1") ;;
	esac
	shift
done
[ ${#args[@]} -eq 2 ] || usage
src=${args[0]} dev_arg=${args[1]}

for tool in bmaptool:bmap-tools sfdisk:fdisk lsblk:util-linux findmnt:util-linux blkid:util-linux; do
	command -v "${tool%%:*}" >/dev/null || refuse "${tool%%:*} is missing (Debian package ${tool#*:})"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "${KIOSK_BIN:-}" ]; then
	kiosk=$KIOSK_BIN
elif [ -f "$repo/go.mod" ] && command -v go >/dev/null; then
	(cd "$repo" && CGO_ENABLED=0 go build -o "$tmp/kiosk" ./cmd/kiosk) ||
		refuse "could not build the kiosk binary from $repo (set KIOSK_BIN)"
	kiosk=$tmp/kiosk
else
	refuse "no kiosk binary: set KIOSK_BIN (or run from the repository with go installed)"
fi

# 1. The signature and the hashes, before the disk is even looked at.
if [ -z "$pub" ]; then
	pub=$repo/var/keys/dev-release.pub
	echo "flash: warning: no --pub and no \$KIOSK_RELEASE_PUB: checking with the DEVELOPMENT key $pub (a release image does not verify with it)" >&2
fi
[ -f "$pub" ] || refuse "no release public key $pub (give --pub KEY or set KIOSK_RELEASE_PUB)"
if ! info=$("$kiosk" verify-image --pub "$pub" "$src" 2>"$tmp/verify.err"); then
	refuse "the image does not verify: $(sed -n '$s/^kiosk verify-image: //;$p' "$tmp/verify.err")"
fi
image= bmap= version= image_sha= image_size=
while IFS='=' read -r k v; do
	case $k in
	image) image=$v ;;
	bmap) bmap=$v ;;
	version) version=$v ;;
	image-sha256) image_sha=$v ;;
	image-size) image_size=$v ;;
	esac
done <<<"$info"
[ -n "$image" ] && [ -n "$bmap" ] && [ -n "$image_size" ] || refuse "kiosk verify-image said nothing usable: $info"
echo "flash: verified $image (version $version, signed)" >&2

# 2. The disk: a whole one, not the system's, not in use.
[ -e "$dev_arg" ] || refuse "$dev_arg does not exist"
dev=$(readlink -f -- "$dev_arg")
[ -b "$dev" ] || refuse "$dev_arg is not a block device (give a whole disk, such as /dev/sdb)"
type=$(lsblk -dno TYPE -- "$dev" 2>/dev/null) || refuse "$dev is not an attached disk (lsblk does not list it)"
case $type in
disk | loop) ;;
part) refuse "$dev is a partition, not a whole disk (the disk is /dev/$(lsblk -dno PKNAME -- "$dev"))" ;;
*) refuse "$dev is a $type device, not a whole disk" ;;
esac
majmin=$(lsblk -dno MAJ:MIN -- "$dev" | tr -d ' ')

for m in / /boot /boot/efi; do
	# One line per mount stacked there (an automount's autofs and the
	# file system over it).
	while IFS= read -r msrc; do
		[ -b "$msrc" ] || continue # overlay, tmpfs, autofs: no disk under it
		# -s walks from the mounted device down to its disks (through
		# partitions, LVM, RAID, crypt).
		if lsblk -nslo MAJ:MIN -- "$msrc" | tr -d ' ' | grep -qx -- "$majmin"; then
			refuse "$dev holds $m: it is this system's disk"
		fi
	done < <(findmnt -nvo SOURCE -M "$m" 2>/dev/null || true)
done

lsblk -npPo NAME,MOUNTPOINTS -- "$dev" >"$tmp/tree" || refuse "lsblk cannot list $dev"
re='^NAME="([^"]*)" MOUNTPOINTS="([^"]*)"'
while IFS= read -r line; do
	[[ $line =~ $re ]] || continue
	node=${BASH_REMATCH[1]} mp=${BASH_REMATCH[2]//\\x0a/ }
	case $mp in
	"") ;;
	*"[SWAP]"*) refuse "$node is in use as swap" ;;
	*) refuse "$node is mounted on $mp: unmount it first" ;;
	esac
	# lsblk's FSTYPE comes from udev, which a container or a minimal
	# host may not run: ask blkid to read the signature itself.
	fstype=$(blkid -p -o value -s TYPE -- "$node" 2>/dev/null || true)
	case $fstype in
	swap) refuse "$node holds a swap area" ;;
	LVM2_member) refuse "$node is an LVM physical volume" ;;
	linux_raid_member) refuse "$node is a RAID member" ;;
	esac
done <"$tmp/tree"

name=$(basename "$dev")
removable=$(cat "/sys/block/$name/removable" 2>/dev/null || echo 0)
tran=$(lsblk -dno TRAN -- "$dev" | tr -d ' ')
if [ "$removable" != 1 ] && [ "$tran" != usb ] && [ $allow_fixed = 0 ]; then
	refuse "$dev is a fixed disk (not removable, not USB); --allow-fixed writes it (a kiosk's own disk at the bench)"
fi

size=$(lsblk -dbno SIZE -- "$dev" | tr -d ' ')
gb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1e9 }')
if [ "$size" -gt 256000000000 ] && [ $allow_large = 0 ]; then
	refuse "$dev is $gb GB, larger than 256 GB (a kiosk's disk or a stick is smaller: is it the right disk?); --allow-large writes it"
fi
[ "$size" -ge "$image_size" ] || refuse "$dev is $size bytes, smaller than the image's $image_size"

# 3. The operator says it is the right disk.
model=$(lsblk -dno MODEL -- "$dev" | sed 's/^ *//; s/ *$//')
serial=$(lsblk -dno SERIAL -- "$dev" | sed 's/^ *//; s/ *$//')
if [ "$type" = loop ]; then
	model="loop device over $(losetup -nO BACK-FILE -- "$dev" | sed 's/^ *//; s/ *$//')"
fi
{
	echo "flash: about to write kiosk $version to"
	echo "  device  $dev"
	echo "  model   ${model:--}"
	echo "  serial  ${serial:--}"
	echo "  size    $gb GB ($size bytes)"
} >&2
if [ $yes = 0 ]; then
	printf 'Everything on %s will be lost. Type its name (%s) to write it: ' "$dev" "$name" >&2
	answer=
	read -r answer || true
	case $answer in
	"$name" | "$dev") ;;
	*) refuse "typed \"$answer\", not $name: nothing written" ;;
	esac
fi

# 4. Write, read back, relocate the backup GPT, record.
record() {
	local rec
	rec="flash-record version=$version image-sha256=$image_sha device=$dev serial=${serial// /_} size=$size result=$1 read-back=$2"
	rec+=" time=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "$rec"
	local log=${KIOSK_FLASH_LOG:-$repo/var/flash-records.log}
	mkdir -p "$(dirname "$log")" && echo "$rec" >>"$log" ||
		echo "flash: warning: could not append the record to $log" >&2
}
[ -n "$serial" ] || serial=-

# bmaptool opens the disk with O_EXCL: one mounted since the checks above
# makes it fail rather than write under a file system.
echo "flash: writing $dev" >&2
if ! bmaptool copy --bmap "$bmap" "$image" "$dev"; then
	record write-failed -
	fail "bmaptool copy did not finish; $dev is partly written"
fi

echo "flash: reading $dev back" >&2
t0=$EPOCHREALTIME
if ! "$kiosk" read-back --bmap "$bmap" "$dev"; then
	record read-back-failed -
	fail "$dev does not read back what was written (the range above): the medium is faulty"
fi
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')

# The image's backup GPT sits at the image's end; a larger disk wants it
# at the disk's end.
if ! sfdisk -q --relocate gpt-bak-std "$dev" >"$tmp/sfdisk.out" 2>&1; then
	cat "$tmp/sfdisk.out" >&2
	fail "sfdisk could not move the backup GPT to the end of $dev"
fi

record ok "${secs}s"
