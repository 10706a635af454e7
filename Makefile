# SPDX-License-Identifier: GPL-2.0
#
# pci_fixedbar top-level Makefile.
#
#   make demo     the main job (README)
#   make check    every test (CI runs this)
#   make bench    planner benchmark figures
#   make fuzz     libFuzzer on the input parsers (tests/fuzz/README.md)
#   make style    checkpatch, clang-format and shellcheck
#
# The kernel module itself is built by kbuild through the Kbuild file:
#   make module KERNELDIR=/lib/modules/<release>/build

BUILD ?= build
CC ?= gcc
CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter \
	-Wno-format-truncation
PLANNER_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARNFLAGS) -Iplanner $(CPPFLAGS)
# the one version of the sources: the tools, the module (Kbuild), dkms.conf
# and the Debian packages take it from VERSION
FIXEDBAR_VERSION := $(shell cat VERSION)
TOOL_CFLAGS := -std=gnu11 $(WARNFLAGS) -Iplanner -Itools \
	-DFIXEDBAR_VERSION='"$(FIXEDBAR_VERSION)"' $(CPPFLAGS)
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

PLANNER_SRCS := planner/topo.c planner/parse.c planner/plan.c \
	planner/plan_model.c planner/plan_route.c planner/plan_pack.c \
	planner/plan_place.c planner/plan_search.c planner/plan_room.c \
	planner/plan_bounds.c planner/plan_ladder.c planner/validate.c \
	planner/emit.c planner/reserve.c planner/minimize.c \
	planner/absent.c planner/hint.c
PLANNER_HDRS := $(wildcard planner/*.h)

# $(BUILD)/rel: optimised; $(BUILD)/san: AddressSanitizer + UBSan
$(BUILD)/rel/planner/%.o: planner/%.c $(PLANNER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PLANNER_CFLAGS) -c -o $@ $<
$(BUILD)/san/planner/%.o: planner/%.c $(PLANNER_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $(PLANNER_CFLAGS) -c -o $@ $<

$(BUILD)/rel/libfixedbar.a: $(PLANNER_SRCS:%.c=$(BUILD)/rel/%.o)
	$(AR) rcs $@ $^
$(BUILD)/san/libfixedbar.a: $(PLANNER_SRCS:%.c=$(BUILD)/san/%.o)
	$(AR) rcs $@ $^

.PHONY: all deps tools check check-unit check-tools bench style demo clean \
	module

all: tools

deps:
	scripts/install-deps.sh

CHECK_TARGETS := check-unit check-tools

include tools/tools.mk
include tests/unit/unit.mk
-include tests/fuzz/fuzz.mk
-include tests/gen/gen.mk
-include tests/fixtures/fixtures.mk
-include module/module.mk
-include tests/e2e/e2e.mk
-include tests/arm64/arm64.mk
-include tests/qemu/qemu.mk
-include tests/libvirt/libvirt.mk
-include tests/vfio/vfio.mk
-include install.mk
-include tests/deb/deb.mk
-include tests/grub/grub.mk
-include kunit/kunit.mk
include style.mk

# deps, then one target at a time, each timed; the first failure stops the run.  The
# figures also go to build/check-times.txt.
check:
	@mkdir -p $(BUILD); : >$(BUILD)/check-times.txt; t0=$$(date +%s); \
	for t in deps $(CHECK_TARGETS); do \
		s=$$(date +%s); \
		$(MAKE) --no-print-directory $$t || { \
			echo "make check: $$t FAILED after $$(($$(date +%s) - s)) s"; \
			exit 1; }; \
		echo "$$t $$(($$(date +%s) - s)) s" >>$(BUILD)/check-times.txt; \
		echo "make check: $$t passed in $$(($$(date +%s) - s)) s"; \
	done; \
	echo "make check: all tests passed in $$(($$(date +%s) - t0)) s:"; \
	sed 's/^/  /' $(BUILD)/check-times.txt

clean:
	rm -rf $(BUILD)

# The README's main command: a GPU-server-like guest with fixed BARs, the
# layout before and after, the data path through the moved BARs.
demo:
	scripts/demo.sh
