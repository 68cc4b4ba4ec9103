# SPDX-License-Identifier: GPL-2.0-only
#
# novamm: the commands a developer types. The kernel build itself is
# described by Kbuild.
#
#   make            build novamm.ko and novamm_sim.ko against $(KDIR)
#   make check      every test: lint, KUnit (UML 6.1 and 7.x, x86_64), QEMU smoke
#                   (6.1, 6.12, 7.x, debug), DKMS
#   make demo       boot Debian's kernel in QEMU with a simulated GA102 and GH100
#   make bench      print the benchmarks (counts per page, allocator times)
#   make htmldocs   build Documentation/ as HTML (Sphinx, kernel-doc)
#
# KDIR defaults to the running kernel's build directory, else to Debian's
# 6.1 headers.

KDIR ?= $(shell \
	if [ -d /lib/modules/$$(uname -r)/build ]; then \
		echo /lib/modules/$$(uname -r)/build; \
	else \
		ls -d /usr/src/linux-headers-6.1.0-*-amd64 2>/dev/null | \
			sort -V | tail -n 1; \
	fi)

NOVAMM_CONFIG := CONFIG_NOVAMM=m CONFIG_NOVAMM_SIM=m

.PHONY: all modules clean deps check demo bench htmldocs kunit kunit-qemu qemu lint

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel headers: run 'make deps' or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(NOVAMM_CONFIG) modules

clean:
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean

deps:
	@scripts/deps.sh

check:
	@scripts/check.sh

demo:
	@scripts/deps.sh
	@scripts/qemu-smoke.sh --demo

bench:
	@scripts/deps.sh
	@scripts/bench.sh

htmldocs:
	@scripts/deps.sh
	@scripts/docs.sh

kunit:
	@scripts/deps.sh
	@scripts/kunit.sh

kunit-qemu:
	@scripts/deps.sh
	@scripts/kunit.sh --arch=x86_64

qemu:
	@scripts/deps.sh
	@scripts/qemu-smoke.sh

lint:
	@scripts/deps.sh
	@scripts/lint.sh
