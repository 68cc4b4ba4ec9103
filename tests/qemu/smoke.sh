# SPDX-License-Identifier: GPL-2.0
# QEMU smoke scenario: load both modules, create, inspect and delete
# simulated GPUs, refuse bad input and foreign PCI devices, unload in
# either order, and find nothing wrong in the kernel log.
. /scenarios/lib.sh

check "load novamm_sim with a GA102 and a GH100" \
	insmod $MODS/novamm_sim.ko devices=ga102:24G,gh100:512M
check "load the buddy allocator: drm_buddy from the kernel's package, or gpu_buddy built in" load_deps
check "load novamm" insmod $MODS/novamm.ko

I0=$D/novamm/novamm-sim.0/info
I1=$D/novamm/novamm-sim.1/info
check "GA102 identified" key_is $I0 chip GA102
check "GA102 is Ampere" key_is $I0 architecture Ampere
check "GA102 uses MMU v2" key_is $I0 mmu_version 2
check "GA102 VRAM 24 GiB" key_is $I0 vram_size 25769803776
check "GA102 BAR1 256 MiB" key_is $I0 bar1_size 268435456
# A 32nd of BAR1, four 2 MiB chunks, kept at its top for page tables.
check "GA102 keeps BAR1's top 8 MiB for page tables" key_is $D/novamm/novamm-sim.0/stats bar1_table_window_base 0xf800000
check "... four chunks of them" key_is $D/novamm/novamm-sim.0/stats bar1_table_window_slots 4
check "GA102 BAR0 16 MiB" key_is $I0 bar0_size 16777216
check "GA102 on the sim backend" key_is $I0 backend sim
check "GH100 identified" key_is $I1 chip GH100
check "GH100 is Hopper" key_is $I1 architecture Hopper
check "GH100 uses MMU v3" key_is $I1 mmu_version 3
check "GH100 VRAM 512 MiB" key_is $I1 vram_size 536870912
# 6 registers, then GSP-RM's BAR1 root directory (PD3: 4 entries of 8
# bytes) through PRAMIN after one window move.
check "bring-up read 6 registers and 8 words of BAR1's root" key_is $SIM/0/counters mmio_reads 14
check "bring-up wrote only the PRAMIN window register" key_is $SIM/0/counters mmio_writes 1
check "bring-up bound nothing: GSP-RM owns BAR1" key_is $SIM/0/counters binds 0
check "24 GiB of VRAM costs one host page: GSP-RM's BAR1 instance block (its root is zero)" \
	key_is $SIM/0/counters vram_pages 1
check "bring-up asked the GSP once" key_is $SIM/0/counters gsp_rpcs 1
check "GA102 maps under GSP-RM's BAR1 directory" key_is $I0 bar1_mode gsp
check "GH100 maps under GSP-RM's BAR1 directory" key_is $I1 bar1_mode gsp

# The VRAM layout: the sim's GSP reports 256 MiB reserved by RM and 256 MiB
# protected at the top of 24 GiB; novamm hands out only what is below.
V0=$D/novamm/novamm-sim.0/vram
check "GA102 layout from the GSP" key_is $V0 source gsp
check "GA102 VRAM ends at 24 GiB" key_is $V0 vram_end 0x600000000
check "GA102 reports RM's BAR1 page directory" key_is $V0 bar1_pde_base 0x5e0000000
check "GA102 has a reserved and a protected region" sh -c \
	"grep -Eq '^region: 1 .* reserved=0x[1-9a-f]' $V0 && grep -q '^region: 2 .* protected=1' $V0"
check "GA102 usable: [0, 23.5 GiB)" key_is $V0 usable_range 0x0-0x5e0000000
check "GA102 reserved: the top 512 MiB" key_is $V0 reserved_range 0x5e0000000-0x600000000
check "GA102 usable excludes every reserved and protected region" usable_excludes $V0
check "GA102 allocator: all usable VRAM free" key_is $V0 free 25232932864
check "GA102 allocator: largest free block 16 GiB" key_is $V0 largest_free 17179869184
check "GA102 allocator: no allocation" key_is $V0 allocations 0
check "GH100 layout from the GSP" key_is $D/novamm/novamm-sim.1/vram source gsp
check "GH100 usable: all but the top 2 x 32 MiB" key_is $D/novamm/novamm-sim.1/vram usable_range 0x0-0x1c000000

ST0=$D/novamm/novamm-sim.0/selftest
check "self-tests not run yet" key_is $ST0 vram "not run"
check "VRAM allocator self-test" sh -c "echo vram > $ST0"
check "VRAM allocator self-test passed" key_is $ST0 vram passed
check "PRAMIN self-test on allocated VRAM" sh -c "echo pramin > $ST0"
check "PRAMIN self-test passed" key_is $ST0 pramin passed
check "GH100 PRAMIN self-test" sh -c "echo pramin > $D/novamm/novamm-sim.1/selftest"
ST1=$D/novamm/novamm-sim.1/selftest
check "inject: bit 8 stuck at one in all of the GH100's usable VRAM" \
	sh -c "echo 'bad_vram 0x0 0x1c000000 0x100' > $SIM/1/inject"
check "inject shows the bad VRAM" key_is $SIM/1/inject bad_vram "0x0 0x1c000000 0x00000100"
check "inject refuses bad VRAM beyond VRAM" refused sh -c \
	"echo 'bad_vram 0x1ff00000 0x200000 0x1' > $SIM/1/inject"
check "PRAMIN self-test on bad VRAM fails" refused sh -c "echo pramin > $ST1"
check "... with -EIO" key_is $ST1 pramin "failed -5"
check "... logged as an error" logged 'novamm-sim.1: self-test pramin: FAILED [(]-5[)]'
check "... naming the address" logged 'novamm-sim.1: PRAMIN self-test: 0x[0-9a-f]* does not read back'
check "VRAM self-test on bad VRAM fails" refused sh -c "echo vram > $ST1"
check "... with -EIO" key_is $ST1 vram "failed -5"
check "... logged as an error" logged 'novamm-sim.1: self-test vram: FAILED [(]-5[)]'
check "... naming the address" logged 'novamm-sim.1: VRAM self-test: 0x[0-9a-f]* reads 0x[0-9a-f]*, wrote'
check "inject: the GH100's VRAM mended" sh -c "echo 'bad_vram 0 0 0' > $SIM/1/inject"
check "PRAMIN and VRAM self-tests pass again" sh -c "echo pramin > $ST1 && echo vram > $ST1"
check "allocator restored after the self-tests" key_is $V0 free 25232932864
check "self-test refuses an unknown name" refused sh -c "echo bogus > $ST0"
check "self-test refuses oversized input" refused sh -c "echo vramvramvramvramvram > $ST0"

# BAR1: a pattern written through BAR1 reads back through PRAMIN, and the
# unmapped page faults in the sim's MMU.
N0=$D/novamm/novamm-sim.0
N1=$D/novamm/novamm-sim.1
check "fault log clears" sh -c "echo 0 > $SIM/0/faults"
check "GA102 BAR1 self-test" sh -c "echo bar1 > $ST0"
check "GA102 BAR1 self-test passed" key_is $ST0 bar1 passed
check "the unmapped BAR1 page faulted once" key_is $SIM/0/faults count 1
check "GH100: all self-tests at once" sh -c "echo 1 > $N1/selftest"
check "GH100 BAR1 self-test passed" key_is $N1/selftest bar1 passed
check "GH100 PRAMIN self-test passed" key_is $N1/selftest pramin passed
check "the BAR1 self-test logged its read-back" logged 'novamm-sim.1: BAR1 self-test: 2166784 bytes written through BAR1'
check "allocator restored after the BAR1 self-test, but for the table pool" \
	key_is $V0 free $((25232932864 - 2097152))

word_at() {	# word_at FILE OFFSET: the little-endian 32-bit word there
	dd if="$1" bs=4 skip=$(($2 / 4)) count=1 2>/dev/null | hexdump -e '1/4 "%08x"'
}

# A mapping made through debugfs, seen in mappings, pagetables and stats.
check "map 2 MiB + 64 KiB + 4 KiB through BAR1" sh -c "echo 'map 2166784' > $N0/bar1_map"
check "one mapping" key_is $N0/mappings mappings 1
check "it is at BAR1 0" sh -c "grep -q '^bar1 0x0000000000-0x0000210fff rw' $N0/mappings"
check "it uses a 2M, a 64K and a 4K page" sh -c \
	"grep -q ', 1 x 2M$' $N0/mappings && grep -q ', 1 x 64K$' $N0/mappings && grep -q ', 1 x 4K$' $N0/mappings"
check "pagetables dump starts at GSP-RM's directory" key_is $N0/pagetables pdb 0x5e0000000
check "stats count it" key_is $N0/stats bar1_mapped 2166784
check "fill it with a word through BAR1" sh -c "echo 'fill 0 0x600dcafe' > $N0/bar1_map"
pa4k=$(sed -n 's/^  va 0x0000210000 -> vram \(0x[0-9a-f]*\), 1 x 4K$/\1/p' $N0/mappings)
check "the word is in VRAM under the 4K page, read through PRAMIN" \
	test "$(word_at $N0/vram_raw $((pa4k + 4092)))" = 600dcafe
check "fill refuses an offset where no mapping starts" refused sh -c "echo 'fill 0x1000 1' > $N0/bar1_map"
check "fill refuses a word wider than 32 bits" refused sh -c "echo 'fill 0 0x100000000' > $N0/bar1_map"
check "read-only map" sh -c "echo 'map 65536 ro' > $N0/bar1_map"
check "the read-only mapping is marked" sh -c "grep -q '^bar1 0x0000220000-0x000022ffff ro' $N0/mappings"
check "unmap the read-only mapping" sh -c "echo 'unmap 0x220000' > $N0/bar1_map"
check "one mapping left" key_is $N0/mappings mappings 1
check "bar1_map refuses size 0" refused sh -c "echo 'map 0' > $N0/bar1_map"
check "bar1_map refuses an unaligned size" refused sh -c "echo 'map 4097' > $N0/bar1_map"
check "bar1_map refuses more than BAR1" refused sh -c "echo 'map 0x20000000' > $N0/bar1_map"
check "the refusal counted as BAR1 full" key_is $N0/stats bar1_map_enospc 1
check "bar1_map refuses an unknown offset" refused sh -c "echo 'unmap 0x12345000' > $N0/bar1_map"
check "bar1_map refuses garbage" refused sh -c "echo 'map lots' > $N0/bar1_map"
check "bar1_map refuses an unknown command" refused sh -c "echo 'remap 4096' > $N0/bar1_map"
check "bar1_map refuses a trailing word" refused sh -c "echo 'map 4096 rw' > $N0/bar1_map"
check "GH100 keeps a mapping too" sh -c "echo 'map 4096' > $N1/bar1_map"

wait_for() {	# wait_for FILE PATTERN: up to 30 s for a line to show up
	n=0
	until grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ $n -le 30 ] || return 1
		sleep 1
	done
}

# mapped_words DIR OFFSET WORD: every page of the BAR1 mapping at OFFSET
# (debugfs "mappings" lists its runs of pages under its VA range) holds
# WORD at its first and last word in VRAM, as vram_raw reads it through
# PRAMIN, not through BAR1.
mapped_words() {
	pieces=$(awk -v o="$(printf '0x%010x-' $(($2)))" '
		index($0, o) == 1 { on = 1; next }
		!/^  va / { on = 0 }
		on { sub(",", "", $5); print $5, $6, $8 }' $1/mappings)
	[ -n "$pieces" ] || { echo "no mapping at $2"; return 1; }
	echo "$pieces" | { bad=0; while read -r pa n sz; do
		case $sz in 4K) b=4096 ;; 64K) b=65536 ;; 2M) b=2097152 ;; *) b=0 ;; esac
		i=0
		while [ $i -lt $n ]; do
			for a in $((pa + i * b)) $((pa + (i + 1) * b - 4)); do
				w=$(word_at $1/vram_raw $a)
				[ "$w" = "$3" ] || { echo "VRAM $a reads $w"; bad=1; }
			done
			i=$((i + 1))
		done
	done; [ $bad -eq 0 ]; }
}

alloc_start() {	# alloc_start SIZE: where the GA102's allocation of SIZE (hex) starts
	sed -n "s/^allocation: start=\(0x[0-9a-f]*\) size=$1 .*/\1/p" $V0
}
C0=$(dev_of 0)
C1=$(dev_of 1)
check "GA102 has a character device" test -c "$C0"
check "... readable and writable by root alone" test "$(stat -c %a $C0)" = 600
check "novamm-ctl info on the GA102" sh -c "novamm-ctl -d $C0 info > /tmp/info"
check "it reports the GA102" key_is /tmp/info chip GA102
check "... with 24 GiB of VRAM" key_is /tmp/info vram_size 25769803776
check "... and what the allocator says is free" \
	test "$(sed -n 's/^vram_free: //p' /tmp/info)" = "$(sed -n 's/^vram_free: //p' $N0/stats)"
novamm-ctl -d $C0 write 2166784 0x1234abcd -1 > /tmp/w 2>&1 &
writer=$!
check "a pattern through the GA102's mmap reads back" wait_for /tmp/w '^read_back_mismatches: 0$'
check "... and is in VRAM, read through PRAMIN at the first and last word of each page" \
	mapped_words $N0 "$(sed -n 's/^bar1_offset: //p' /tmp/w)" 1234abcd
A_VRAM=$(alloc_start 0x211000)
kill -USR1 $writer
wait $writer
# A second process gets the VRAM the first wrote and freed: every word of
# it reads zero through its own mapping.
novamm-ctl -d $C0 scan 2166784 -1 > /tmp/s 2>&1 &
scanner=$!
check "the next process's allocation of that size reads all zero" \
	wait_for /tmp/s '^nonzero_words: 0$'
check "... and is the same VRAM the first process wrote" \
	test "$(alloc_start 0x211000)" = "${A_VRAM:-none found}"
kill -USR1 $scanner
wait $scanner
check "the sim served the mmap's pages through its MMU" sh -c \
	"[ \$(sed -n 's/^bar1_mmap_faults: //p' $SIM/0/counters) -ge 529 ]"
check "a pattern through the GH100's mmap reads back" sh -c \
	"novamm-ctl -d $C1 write 65536 0x5a5a0f0f > /tmp/w && grep -q '^read_back_mismatches: 0$' /tmp/w"
check "another file cannot free, map or mmap a file's VRAM; close frees it" \
	novamm-ctl -d $C0 owners
check "novamm-ctl copy benchmark" sh -c "novamm-ctl -d $C0 bench 1048576 > /tmp/bench"
cat /tmp/bench
check "novamm-ctl: 1000 round trips of ALLOC, MAP, UNMAP and FREE" sh -c \
	"novamm-ctl -d $C0 roundtrip 1000 > /tmp/rt && grep -q '^roundtrips: 1000$' /tmp/rt"
cat /tmp/rt
# The first touch of each 2 MiB block of VA brings in the whole block:
# 16 blocks where the VMA starts on a 2 MiB boundary, as novamm asks of
# mmap, 17 on a kernel without THP, whose mmap cannot be asked.
check "novamm-ctl: first touch of 32 MiB, one fault per 2 MiB block, reads back" sh -c \
	"novamm-ctl -d $C0 touch 33554432 > /tmp/touch && grep -q '^read_back_mismatches: 0$' /tmp/touch && [ \$(sed -n 's/^touch_faults: //p' /tmp/touch) = \$(sed -n 's/^touch_blocks: //p' /tmp/touch) ]"
cat /tmp/touch
check "novamm-ctl: UNMAP racing a first touch leaves no page reachable" sh -c \
	"novamm-ctl -d $C0 race 50 > /tmp/race"
cat /tmp/race
check "novamm-ctl: a read-only mapping refuses every way of writing" \
	novamm-ctl -d $C0 readonly

# 2 MiB entries in a CPU mapping of BAR1. A device with vram_huge backs
# each 2 MiB of VRAM with one aligned, contiguous 2 MiB of host memory, as
# a real BAR1 is contiguous, so each 2 MiB block of the mapping can take
# one entry. The kernel offers them to a VM_PFNMAP mapping from 6.12, with
# transparent huge pages. The oracle is the kernel's own count of the
# process's page tables (VmPTE): with 4 KiB entries each block needs a
# 4 KiB table; with 2 MiB ones none, and at most two directories and an
# upper directory come in (12 KiB) for the whole mapping.
huge_pfnmap() {
	IFS=. read -r maj min _ < /proc/sys/kernel/osrelease
	[ "$maj" -gt 6 ] || { [ "$maj" -eq 6 ] && [ "${min%%[!0-9]*}" -ge 12 ]; } || return 1
	grep -q '\[always\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null
}
check "a GA102 whose VRAM has 2 MiB blocks of host memory (vram_huge)" sh -c \
	"echo 1 > /sys/module/novamm_sim/parameters/vram_huge && echo ga102:1G > $SIMBUS/new_device && echo 0 > /sys/module/novamm_sim/parameters/vram_huge"
check "... says so" key_is $SIM/2/info vram_huge 1
CH=$(dev_of 2)
check "novamm-ctl: first touch of 64 MiB through it, one fault per 2 MiB block, reads back" sh -c \
	"novamm-ctl -d $CH touch 67108864 > /tmp/touch && grep -q '^read_back_mismatches: 0$' /tmp/touch && [ \$(sed -n 's/^touch_faults: //p' /tmp/touch) = \$(sed -n 's/^touch_blocks: //p' /tmp/touch) ]"
cat /tmp/touch
if huge_pfnmap; then
	check "... each block one 2 MiB entry: no page table built for them" sh -c \
		"[ \$(sed -n 's/^touch_table_kb: //p' /tmp/touch) -le 12 ]"
else
	check "... in 4 KiB entries before 6.12: a page table per block" sh -c \
		"[ \$(sed -n 's/^touch_table_kb: //p' /tmp/touch) -ge \$((4 * \$(sed -n 's/^touch_blocks: //p' /tmp/touch))) ]"
fi
check "novamm-ctl: UNMAP racing a first touch of 2 MiB entries leaves nothing reachable" sh -c \
	"novamm-ctl -d $CH race 20 > /tmp/race"
check "novamm-ctl: a read-only mapping in 2 MiB entries refuses every way of writing" \
	novamm-ctl -d $CH readonly
check "del_device 2 (vram_huge)" sh -c "echo 2 > $SIMBUS/del_device"

# dma-buf export: read through the dma-buf's own mmap, by a second process
# handed the fd over a Unix socket, and imported by vgem where the guest
# has it: Debian's kernels, and those built here (importers.config).
if load_vgem; then vgem=vgem; else vgem=; fi
check "dma-buf: export, share, import, revoke and release 4 MiB" sh -c \
	"novamm-ctl -d $C0 export 4194304 > /tmp/export"
sed 's/^/    /' /tmp/export
check "dma-buf: its mmap shows what /dev/novamm0 wrote" \
	key_is /tmp/export dmabuf_read_mismatches 0
check "dma-buf: another process reads it through the fd it was given" \
	key_is /tmp/export peer_read_mismatches 0
if grep -q '^peer_fd_passing: inherited$' /tmp/export; then
	skip "dma-buf: the fd went over a Unix socket (this kernel has no Unix sockets)"
else
	check "dma-buf: the fd went over a Unix socket" key_is /tmp/export peer_fd_passing unix-socket
fi
check "dma-buf: what that process wrote reads back through /dev/novamm0" \
	key_is /tmp/export peer_write_mismatches 0
check "dma-buf: FREE leaves no page of its mmap reachable" \
	key_is /tmp/export dmabuf_pages_reachable_after_free 0
check "dma-buf: FREE keeps the VRAM while the dma-buf lives" \
	key_is /tmp/export vram_held_after_free yes
check "dma-buf: the VRAM returns with the last reference" key_is /tmp/export vram_returned yes
check "dma-buf: a read-only export refuses every writer" \
	key_is /tmp/export readonly_export_failures 0
if [ -n "$vgem" ]; then
	check "dma-buf: vgem imports it" key_is /tmp/export vgem_import ok
	check "dma-buf: vgem's import keeps the VRAM after FREE and close" \
		key_is /tmp/export vram_held_by_importer yes
else
	skip "dma-buf: vgem imports it (no vgem in this kernel)"
	skip "dma-buf: vgem's import keeps the VRAM after FREE and close (no vgem in this kernel)"
fi
ALLOCS=$(sed -n 's/^vram_allocations: //p' $N0/stats)
check "ioctl and mmap fuzz: 3000 random calls" sh -c "novamm-ctl -d $C0 fuzz 3000 7 > /tmp/fuzz"
sed 's/^/    /' /tmp/fuzz
check "after the fuzz the allocator holds what it held" key_is $N0/stats vram_allocations $ALLOCS
check "after the fuzz BAR1 maps what it mapped" key_is $N0/mappings mappings 1
check "the fuzz wrote nothing into reserved or protected VRAM" protected_clean 0
check "a missing device node is refused" refused novamm-ctl -d /dev/novamm99 info

# vram_raw reads VRAM through PRAMIN: GSP-RM's BAR1 instance block (the
# sim puts it 128 KiB past bar1PdeBase) holds the directory's address with
# VER2 and 64 KiB big pages: 0xe0000000 | 0xc00 at 0x200.
check "vram_raw shows GSP-RM's instance block" \
	test "$(word_at $N0/vram_raw $((0x5e0020200)))" = e0000c00
check "vram_raw ends at the end of VRAM" sh -c \
	"[ \$(dd if=$N0/vram_raw bs=1 skip=25769803775 count=4 2>/dev/null | wc -c) = 1 ]"
check "vram_raw reads nothing past it" sh -c \
	"[ \$(dd if=$N0/vram_raw bs=1 skip=25769803776 count=4 2>/dev/null | wc -c) = 0 ]"

# A GSP reply that cannot be trusted fails probe; the device binds again
# once the GSP behaves.
PDRV=/sys/bus/platform/drivers/novamm-sim
check "inject: GSP-RM cannot vanish under a bound driver" refused sh -c \
	"echo 'gsp absent' > $SIM/0/inject"
check "... and the GA102's BAR1 stays GSP-RM's" key_is $N0/stats bar1_mode gsp
check "unbind the GA102" sh -c "echo novamm-sim.0 > $PDRV/unbind"
check "inject: GSP regions overlap" sh -c "echo 'gsp overlapping-regions' > $SIM/0/inject"
check "probe refuses overlapping GSP regions" refused sh -c "echo novamm-sim.0 > $PDRV/bind"
probe_failed novamm-sim.0 -71
check "the refusal names the field" logged 'GSP static info: fbRegion .* overlaps'
check "the refused GA102 has no debugfs directory" refused test -e $D/novamm/novamm-sim.0
check "inject: GSP fixed" sh -c "echo 'gsp none' > $SIM/0/inject"
check "the GA102 binds again" sh -c "echo novamm-sim.0 > $PDRV/bind"
check "the GA102 layout is back" key_is $V0 usable_range 0x0-0x5e0000000

check "new_device tu102:11G:512M" sh -c "echo tu102:11G:512M > $SIMBUS/new_device"
I2=$D/novamm/novamm-sim.2/info
check "TU102 identified" key_is $I2 chip TU102
check "the TU102 is on the sim bus, the platform device its child" \
	test -e $SIMBUS/devices/novamm_sim2/novamm-sim.2/driver
check "creating devices is sysfs's, not debugfs's" refused test -e $SIM/new_device
check "TU102 VRAM from LOCAL_MEMORY_RANGE" key_is $I2 vram_size 11811160064
check "TU102 BAR1 of the size asked for" key_is $I2 bar1_size 536870912
check "... whose top 16 MiB are kept for page tables" key_is $D/novamm/novamm-sim.2/stats bar1_table_window_base 0x1f000000
check "new_device gb202 takes the default VRAM" sh -c "echo gb202 > $SIMBUS/new_device"
check "GB202 is Blackwell with 32 GiB" key_is $D/novamm/novamm-sim.3/info vram_size 34359738368

check "unknown chip refused" refused sh -c "echo gv100:1G > $SIMBUS/new_device"
check "... naming it" logged "novamm_sim: unknown chip 'gv100'"
check "VRAM size below 1 MiB refused" refused sh -c "echo ga102:1K > $SIMBUS/new_device"
check "... with the sizes allowed" logged 'novamm_sim: GA102: VRAM size 1024 must be a multiple of 1 MiB'
check "garbage size refused" refused sh -c "echo ga102:lots > $SIMBUS/new_device"
check "... quoting it" logged "novamm_sim: bad VRAM size 'lots' for ga102"
check "a BAR1 size not a power of two refused" refused sh -c "echo ga102:1G:3M > $SIMBUS/new_device"
check "... with the sizes allowed" logged 'novamm_sim: GA102: BAR1 size 3145728 must be a power of two'
check "garbage BAR1 size refused" refused sh -c "echo ga102:1G:big > $SIMBUS/new_device"
check "... quoting it" logged "novamm_sim: bad BAR1 size 'big' for ga102"
check "oversized input refused" refused sh -c \
	"echo ga102:1G.................................................................. > $SIMBUS/new_device"
check "del_device of a missing device refused" refused sh -c "echo 42 > $SIMBUS/del_device"
check "... naming it" logged 'novamm_sim: no device 42'
check "del_device of garbage refused" refused sh -c "echo x > $SIMBUS/del_device"
check "counters accept only 0" refused sh -c "echo 7 > $SIM/0/counters"
check "counters reset" sh -c "echo 0 > $SIM/0/counters"
for m in posted_writes dir_cache gpc_tlb protected_watch; do
	check "model $m on by default" key_is $SIM/0/models $m 1
done
check "posted writes land after 64 accesses" key_is $SIM/0/models posted_depth 64
check "models refuse a depth of 0" refused sh -c "echo 'posted_depth 0' > $SIM/0/models"
check "models refuse an unknown model" refused sh -c "echo 'warp 1' > $SIM/0/models"
check "models refuse a bad value" refused sh -c "echo 'dir_cache maybe' > $SIM/0/models"
check "models: the GPC TLB off and on" sh -c \
	"echo 'gpc_tlb 0' > $SIM/0/models && grep -q '^gpc_tlb: 0' $SIM/0/models && echo 'gpc_tlb 1' > $SIM/0/models"
check "inject shows the flush knob" key_is $SIM/0/inject flush_polls 1
check "inject shows the firmware-boot knob" key_is $SIM/0/inject gfw_boot_polls 0
check "the GA102 watches its reserved and protected regions" sh -c \
	"grep -q '^range: 0x5e0000000-0x5f0000000' $SIM/0/protected && grep -q '^range: 0x5f0000000-0x600000000' $SIM/0/protected"
check "... but for the root entry of the BAR1 directory" key_is $SIM/0/protected writable 0x5e0000000-0x5e0000008
check "the GA102's invalidates each found nothing posted" sh -c \
	"grep -q ' posted 0' $SIM/0/invalidates && ! grep '^invalidate:' $SIM/0/invalidates | grep -v ' posted 0'"
check "invalidate log clears" sh -c "echo 0 > $SIM/0/invalidates"
check "invalidate log is empty" key_is $SIM/0/invalidates count 0
check "BAR1 is bound to GSP-RM's instance block" key_is $SIM/0/bar1 instance 0x5e0020000
check "... which points at bar1PdeBase" key_is $SIM/0/bar1 pdb 0x5e0000000
check "fault log clears again" sh -c "echo 0 > $SIM/0/faults"
check "fault log is empty" key_is $SIM/0/faults count 0
check "GSP reports RM's BAR1 page directory" key_is $SIM/0/fb_regions bar1_pde_base 0x5e0000000
check "GSP region table: usable, reserved, protected" \
	sh -c "[ \$(grep -c '^region:' $SIM/0/fb_regions) = 3 ]"
check "inject: bind never completes" sh -c "echo 'bind_polls 4294967295' > $SIM/0/inject"
check "inject: GSP truncates" sh -c "echo 'gsp truncated' > $SIM/0/inject"
check "inject shows the bind knob" key_is $SIM/0/inject bind_polls 4294967295
check "inject shows the GSP knob" key_is $SIM/0/inject gsp truncated
check "inject: GSP back to none, for the rebind below" sh -c "echo 'gsp none' > $SIM/0/inject"
check "inject refuses an unknown GSP fault" refused sh -c "echo 'gsp bogus' > $SIM/0/inject"
check "inject refuses a bad number" refused sh -c "echo 'bind_polls x' > $SIM/0/inject"
check "inject refuses an unknown knob" refused sh -c "echo 'warp 9' > $SIM/0/inject"
check "inject refuses a bare word" refused sh -c "echo gsp > $SIM/0/inject"
check "fault log accepts only 0" refused sh -c "echo 7 > $SIM/0/faults"
check "fault log clears" sh -c "echo 0 > $SIM/0/faults"

# Without GSP-RM, novamm binds an instance block of its own.
check "unbind the TU102" sh -c "echo novamm-sim.2 > $PDRV/unbind"
check "inject: no GSP-RM on the TU102" sh -c "echo 'gsp absent' > $SIM/2/inject"
check "BAR1 of a GPU without GSP-RM is unbound" key_is $SIM/2/bar1 bound 0
check "the TU102 binds without GSP-RM" sh -c "echo novamm-sim.2 > $PDRV/bind"
check "its layout comes from the registers" key_is $D/novamm/novamm-sim.2/vram source registers
check "it binds its own BAR1 instance block" key_is $I2 bar1_mode own
check "the sim's BAR1 is on novamm's instance block" sh -c \
	"[ \$(sed -n 's/^bar1_instance: //p' $D/novamm/novamm-sim.2/stats) = \$(sed -n 's/^instance: //p' $SIM/2/bar1) ]"
check "in virtual mode" key_is $SIM/2/bar1 mode virtual
# The TU102 maps nothing through BAR1 but what novamm-ctl holds: a
# self-test waits until the file is gone.
novamm-ctl -d $(dev_of 2) write 65536 0x0badf00d -1 > /tmp/w2 2>&1 &
holder=$!
check "a TU102 mapping held by novamm-ctl" wait_for /tmp/w2 '^read_back_mismatches: 0$'
check "a self-test is refused while a file holds a mapping" refused sh -c \
	"echo bar1 > $D/novamm/novamm-sim.2/selftest"
check "... and records nothing" key_is $D/novamm/novamm-sim.2/selftest bar1 "not run"
kill -USR1 $holder
wait $holder
check "TU102 BAR1 self-test on its own instance block, once the file is gone" sh -c \
	"echo bar1 > $D/novamm/novamm-sim.2/selftest"
check "TU102 BAR1 self-test passed" key_is $D/novamm/novamm-sim.2/selftest bar1 passed
check "a mapping left live on the TU102" sh -c "echo 'map 65536' > $D/novamm/novamm-sim.2/bar1_map"
check "unbind the TU102 with a live mapping" sh -c "echo novamm-sim.2 > $PDRV/unbind"
check "novamm gave BAR1 back in physical mode" key_is $SIM/2/bar1 mode physical
check "inject: bind never completes on the TU102" sh -c "echo 'bind_polls 4294967295' > $SIM/2/inject"
check "probe fails when the BAR1 bind times out" refused sh -c "echo novamm-sim.2 > $PDRV/bind"
probe_failed novamm-sim.2 -110
check "the timeout is logged" logged 'novamm-sim.2: BAR1 bind of instance block .* did not complete'
check "... no unbind is issued over the bind still outstanding" \
	logged 'novamm-sim.2: BAR1 unbind of instance block 0x0 not issued: an earlier request is still outstanding'
check "... so the instance block and the tables stay out of the allocator" \
	logged 'novamm-sim.2: BAR1: unbind did not complete: instance block 0x[0-9a-f]* and 1 page-table chunks are kept'
check "... and bring-up fails with -ETIMEDOUT" logged 'novamm-sim.2: BAR1 [(]own[)]: bring-up failed: -110'
check "inject: binds complete again" sh -c "echo 'bind_polls 1' > $SIM/2/inject"
check "the TU102 binds again" sh -c "echo novamm-sim.2 > $PDRV/bind"
check "the TU102 without GSP-RM watches the firmware's VGA memory and top 2 MiB" sh -c \
	"grep -q '^range: 0x0-0x40000' $SIM/2/protected && grep -q '^range: 0x2bfe00000-0x2c0000000' $SIM/2/protected"
check "the TU102 wrote nothing into reserved or protected VRAM" protected_clean 2
check "del_device 2" sh -c "echo 2 > $SIMBUS/del_device"
check "its debugfs directory is gone" refused test -e $D/novamm/novamm-sim.2
check "its sim directory is gone" refused test -e $SIM/2
check "it is gone from the sim bus" refused test -e $SIMBUS/devices/novamm_sim2

# A device handed over with driver_override that is not an NVIDIA GPU
# (QEMU has none) must be refused by probe, and stay unbound.
# QEMU's VGA adapter (display class, vendor 0x1234) is the sharpest case;
# any other unbound device will do.
pci=
for d in /sys/bus/pci/devices/*; do
	[ -e "$d/driver" ] && continue
	[ -z "$pci" ] && pci=$d
	[ "$(cat $d/class)" = 0x030000 ] && pci=$d && break
done
if [ -n "$pci" ]; then
	echo novamm > "$pci/driver_override"
	echo "${pci##*/}" > /sys/bus/pci/drivers_probe 2>/dev/null
	check "PCI probe refuses ${pci##*/} (vendor $(cat $pci/vendor))" \
		logged 'not an NVIDIA GPU'
	check "${pci##*/} stays unbound" refused test -e "$pci/driver"
	echo > "$pci/driver_override"
else
	fail "no unbound PCI device to hand to novamm"
fi

novamm-ctl -d $C1 write 65536 0x77 -1 > /tmp/held 2>&1 &
held=$!
check "a process holds an mmap of the GH100" wait_for /tmp/held '^read_back_mismatches: 0$'
check "the GH100 wrote nothing into reserved or protected VRAM" protected_clean 1
check "del_device 1 (GH100) under a bound driver with mappings live" sh -c "echo 1 > $SIMBUS/del_device"
kill -USR1 $held
wait $held
check "the holder's device is gone when it lets go" grep -q 'No such device' /tmp/held
check "... and no page of its mapping is reachable (SIGBUS on each)" sh -c \
	"grep -q '^pages_reachable_after_hold: 0$' /tmp/held || { cat /tmp/held; false; }"
check "GH100 is gone from novamm" refused test -e $D/novamm/novamm-sim.1
check "a BAR1 mapping live on the GB202" sh -c "echo 'map 65536' > $D/novamm/novamm-sim.3/bar1_map"
check "the GB202 wrote nothing into reserved or protected VRAM" protected_clean 3
check "inject: the GB202 falls off the bus" sh -c "echo 'gone 1' > $SIM/3/inject"
check "del_device 3 (GB202), gone, with a mapping live" sh -c "echo 3 > $SIMBUS/del_device"
check "removal found the GB202 gone" logged 'novamm-sim.3: GPU is gone [(]BOOT_0 reads all ones[)]'
check "... and waited on nothing" refused sh -c "dmesg | grep -q 'novamm-sim.3: .*did not complete'"
check "a BAR1 mapping live on the GA102" sh -c "echo 'map 65536' > $N0/bar1_map"
check "unload novamm with a device bound and a BAR1 mapping live" rmmod novamm
check "the live mapping was released" logged 'novamm-sim.0: BAR1: releasing 1 live mappings'
check "novamm debugfs is gone" refused test -e $D/novamm
check "reload novamm: devices bind again" insmod $MODS/novamm.ko
check "GA102 identified again" key_is $I0 chip GA102
check "the GA102 wrote nothing into reserved or protected VRAM" protected_clean 0
check_kmemleak "kmemleak: nothing of novamm's left unreferenced, modules loaded"
check "unload novamm_sim under a bound driver, deleting the GA102" rmmod novamm_sim
check "the GA102 is gone from novamm" refused test -e $D/novamm/novamm-sim.0
check "unload novamm" rmmod novamm
check "modules are gone" refused sh -c "lsmod | grep -q novamm"
check_unload_deps "drm_buddy unloads: novamm held no reference"

check "every error-level novamm message was one a check expected" errors_expected
check_kmemleak "kmemleak: nothing of novamm's left unreferenced, modules unloaded"
check "no taint but out-of-tree and unsigned" taint_ok
scenario_end smoke
