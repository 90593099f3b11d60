#!/usr/bin/env bash
# Builds the kiosk's flashable image: Debian 13 (trixie) for amd64 UEFI
# machines, a read-only squashfs root in slot A of two, systemd-boot with
# boot counting, and a data partition for the kiosk's state. No loop
# device and no mount: the host kernel has no vfat (../shared/IMAGE.md),
# so the ESP is made with mkfs.vfat --invariant and mtools, the disk with
# an sfdisk script, and the parts are put in place with dd.
#
# Usage: scripts/image/build-image.sh [OUTDIR]      (default var/image)
#
# Environment:
#   RELEASE_KEY   the private release key that signs the image and its
#                 update bundle; its public half (RELEASE_KEY.pub, or
#                 RELEASE_PUB) goes into the image so the kiosk accepts
#                 only updates signed by the same key. Unset: the
#                 development key var/keys/dev-release.key, made on first
#                 use and never committed (var/ is not in the repository).
#   KIOSK_IMAGE_CACHE  where downloaded packages are kept between builds
#                 (default var/image/cache): a warm cache skips downloads.
#
# Every run from the same commit and package set gives the same bytes:
# SOURCE_DATE_EPOCH is the last commit's time, UUIDs are fixed, and each
# tool is told to use that time (mmdebstrap, mksquashfs, mtools, mke2fs).
#
# Needs (Debian 12 host, as root): mmdebstrap, squashfs-tools, mtools,
# dosfstools, fdisk, e2fsprogs, bmap-tools, zstd, and Go.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$here/var/image}
cache=${KIOSK_IMAGE_CACHE:-$here/var/image/cache}
say() { printf '== %s (%ds)\n' "$*" "$SECONDS"; }
die() { echo "build-image: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap's root mode makes device nodes and owners)"
for t in mmdebstrap mksquashfs mkfs.vfat mcopy mmd sfdisk mke2fs bmaptool zstd go git; do
	command -v "$t" >/dev/null || die "missing $t: apt-get install mmdebstrap squashfs-tools mtools dosfstools fdisk e2fsprogs bmap-tools zstd"
done

# The release: its time is the last commit's, so two builds of one commit
# agree; a tree with uncommitted changes says so in its version.
SOURCE_DATE_EPOCH=$(git -C "$here" log -1 --format=%ct)
export SOURCE_DATE_EPOCH
commit=$(git -C "$here" rev-parse --short=12 HEAD)
version=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y.%m.%d-%H%M)
if [ -n "$(git -C "$here" status --porcelain --untracked-files=no)" ]; then
	version+="-dirty"
fi
arch=amd64
name=kiosk-$version

key=${RELEASE_KEY:-$here/var/keys/dev-release.key}
pub=${RELEASE_PUB:-${key%.key}.pub}
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$cache"

say "tools (imagetool, kiosk linux/$arch, cgo off)"
(cd "$here" && go build -trimpath -o "$work/imagetool" ./cmd/imagetool)
(cd "$here" && CGO_ENABLED=0 GOOS=linux GOARCH=$arch go build -trimpath \
	-ldflags="-s -w -buildid= -X main.version=$version" -o "$work/kiosk" ./cmd/kiosk)
if [ -z "${RELEASE_KEY:-}" ] && [ ! -f "$key" ]; then
	mkdir -p "$(dirname "$key")"
	"$work/imagetool" keygen "$key" "$pub"
	echo "build-image: made the development release key $key (not for the field)"
fi
[ -f "$pub" ] || die "no public key $pub beside $key (set RELEASE_PUB)"

# What the root holds beyond the packages: the kiosk, its units and rules,
# its config, the release's identity and key. customize.sh puts them in.
files=$work/files
install -D -m 0755 "$work/kiosk" "$files/usr/local/bin/kiosk"
install -D -m 0644 "$pub" "$files/etc/kiosk/release.pub"
printf 'KIOSK_VERSION=%s\nKIOSK_EPOCH=%s\nKIOSK_ARCH=%s\nKIOSK_COMMIT=%s\n' \
	"$version" "$SOURCE_DATE_EPOCH" "$arch" "$commit" >"$files/etc/kiosk-release"
cp -a "$here/scripts/image/rootfs/." "$files/"
install -D -m 0644 "$here/scripts/systemd/kiosk.service" "$files/etc/systemd/system/kiosk.service"
install -D -m 0644 "$here/scripts/udev/99-kiosk-devices.rules" "$files/etc/udev/rules.d/99-kiosk-devices.rules"

say "root file system (trixie, mmdebstrap)"
root=$work/root
# The packages: the kernel and its initrd; systemd with systemd-boot
# (which also carries systemd-bless-boot, without which no entry is ever
# blessed) and systemd-repart (grows the data partition on first boot);
# cage and foot draw the kiosk; timesyncd keeps the clock the tickets print.
pkgs=linux-image-amd64,initramfs-tools,systemd-sysv,systemd-boot,systemd-boot-efi,systemd-repart,systemd-timesyncd,udev,kmod,dbus,libpam-systemd,cage,foot,fonts-dejavu-core,tzdata,ca-certificates,e2fsprogs
mmdebstrap --variant=minbase --arch=$arch --include="$pkgs" \
	--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
	--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
	--setup-hook='mkdir -p "$1/etc/initramfs-tools"' \
	--setup-hook='printf "squashfs\n" > "$1/etc/initramfs-tools/modules"' \
	--setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
	--setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
	--customize-hook="sync-out /var/cache/apt/archives '$cache'" \
	--customize-hook="copy-in '$files/.' /" \
	--customize-hook="$here/scripts/image/customize.sh \"\$1\"" \
	trixie "$root" >"$work/mmdebstrap.log" 2>&1 || {
	tail -30 "$work/mmdebstrap.log" >&2
	# A mirror that cannot be reached is not the image's fault: exit 75
	# (EX_TEMPFAIL) so CI can tell it from a broken build.
	if grep -qE 'Failed to fetch|Could not resolve|Temporary failure resolving|Unable to connect|Connection timed out|apt-get update failed' "$work/mmdebstrap.log"; then
		echo "build-image: the package mirror could not be reached" >&2
		exit 75
	fi
	die "mmdebstrap failed (log above)"
}

# The kernel and initrd go to the ESP's slot-a; the root does not need them.
kver=$(basename "$(ls -d "$root"/lib/modules/*)")
cp "$root/boot/vmlinuz-$kver" "$work/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$work/initrd.img"
cp "$root/usr/lib/systemd/boot/efi/systemd-bootx64.efi" "$work/BOOTX64.EFI"
rm -f "$root"/boot/vmlinuz-* "$root"/boot/initrd.img-* "$root"/boot/System.map-* "$root"/boot/config-*

say "root squashfs"
# mksquashfs takes its times from SOURCE_DATE_EPOCH (and refuses the
# command-line options that would set them too).
mksquashfs "$root" "$work/root.squashfs" -noappend -comp zstd -Xcompression-level 15 \
	-processors 2 -quiet -no-progress >/dev/null

# Sizes in MiB; the layout is fixed, the update writes root-b at the same size.
esp_mb=256 root_mb=768 data_mb=256
root_bytes=$(stat -c %s "$work/root.squashfs")
[ "$root_bytes" -le $((root_mb << 20)) ] || die "root.squashfs is $root_bytes bytes, more than the $root_mb MiB slot"

say "ESP (vfat, systemd-boot, slot a)"
entry_options="root=PARTLABEL=root-a ro rootfstype=squashfs kiosk.slot=a panic=5 quiet"
esp=$work/esp.img
mkfs.vfat --invariant -i 4b1d5eed -n ESP -F 32 -C "$esp" $((esp_mb * 1024)) >/dev/null
mkdir -p "$work/esp/EFI/BOOT" "$work/esp/loader/entries" "$work/esp/slot-a"
cp "$work/BOOTX64.EFI" "$work/esp/EFI/BOOT/BOOTX64.EFI"
cp "$work/vmlinuz" "$work/initrd.img" "$work/esp/slot-a/"
# No menu and no editing of the kernel's command line at the boot screen:
# a visitor with a keyboard must not get a root shell.
printf 'timeout 0\neditor no\nauto-entries no\nauto-firmware no\n' >"$work/esp/loader/loader.conf"
printf 'title   Kiosk %s (slot a)\nversion %s\nlinux   /slot-a/vmlinuz\ninitrd  /slot-a/initrd.img\noptions %s\n' \
	"$version" "$version" "$entry_options" >"$work/esp/loader/entries/kiosk-a.conf"
find "$work/esp" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
for d in EFI EFI/BOOT loader loader/entries slot-a; do mmd -i "$esp" "::/$d"; done
for f in EFI/BOOT/BOOTX64.EFI loader/loader.conf loader/entries/kiosk-a.conf slot-a/vmlinuz slot-a/initrd.img; do
	mcopy -m -i "$esp" "$work/esp/$f" "::/$f"
done

say "data partition (ext4, empty)"
data=$work/data.img
E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -t ext4 -L kiosk-data -U 5e1f0d3a-7b2c-4c8e-9a61-0d5a7e3b9c24 \
	-E hash_seed=5e1f0d3a-7b2c-4c8e-9a61-0d5a7e3b9c24,root_owner=990:990,lazy_itable_init=0 \
	-m 1 "$data" "${data_mb}M"

say "disk (GPT, fixed UUIDs)"
img=$work/$name.img
total_mb=$((1 + esp_mb + 2 * root_mb + data_mb + 1))
truncate -s "${total_mb}M" "$img"
# Partition types: ESP, the x86-64 root type for both slots, and Linux
# /var data for the state; the fixed UUIDs make the bytes the same each build.
sfdisk --quiet --no-reread --no-tell-kernel "$img" <<EOF
label: gpt
label-id: 8C0F6E2A-3B1D-4E5F-9A7C-2D4B6E8F0A1C
first-lba: 2048
start=2048, size=$((esp_mb * 2048)), type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=2F6B1C3E-5A7D-4B9F-8E1A-3C5D7F9B1E2A, name=esp
size=$((root_mb * 2048)), type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=6A1E3C5B-7D9F-4A2B-8C4E-6F8A0B2D4E61, name=root-a
size=$((root_mb * 2048)), type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, uuid=6A1E3C5B-7D9F-4A2B-8C4E-6F8A0B2D4E62, name=root-b
size=$((data_mb * 2048)), type=4D21B016-B534-45C2-A9FB-5C16E091FD2D, uuid=9B3D5F7A-1C3E-4A5B-8D7F-0E2A4C6E8A1B, name=data
EOF
put() { dd if="$1" of="$img" bs=1M seek="$2" conv=notrunc,sparse status=none; }
put "$esp" 1
put "$work/root.squashfs" $((1 + esp_mb))
put "$data" $((1 + esp_mb + 2 * root_mb))

say "bmap, zstd, update bundle"
bmaptool -q create -o "$work/$name.bmap" "$img"
zstd -q -T2 -10 --no-progress -f "$img" -o "$work/$name.img.zst"
"$work/imagetool" bundle --key "$key" --release "$files/etc/kiosk-release" --root "$work/root.squashfs" \
	--kernel "$work/vmlinuz" --initrd "$work/initrd.img" "$work/$name.bundle" >/dev/null
artifacts=("$name.img.zst" "$name.bmap" "$name.bundle")

say "sign"
rm -rf "${out:?}/$name" && mkdir -p "$out/$name"
for a in "${artifacts[@]}"; do mv "$work/$a" "$out/$name/"; done
"$work/imagetool" sign --key "$key" "$out/$name" "${artifacts[@]}" >/dev/null
# The raw image stays beside them for QEMU (make image-smoke); it is not
# an artifact, the .img.zst is.
mv "$img" "$out/$name/$name.img"
ln -sfn "$name" "$out/latest"
say "done: $out/$name"
( cd "$out/$name" && ls -l "${artifacts[@]}" SHA256SUMS SHA256SUMS.sig && cat SHA256SUMS )
