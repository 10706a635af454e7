# SPDX-License-Identifier: GPL-2.0
#
# make style: the kernel's checkpatch.pl (--no-tree -f), clang-format with
# the kernel's .clang-format, and shellcheck.  Included by the top-level
# Makefile.  Fails if any of them finds something.
#
# checkpatch.pl and the kernel's .clang-format come from Debian's
# linux-source-6.1, fetched once by scripts/fetch-style-tools.sh into
# $(STYLE_CACHE).  Each file that passes leaves a stamp in $(BUILD)/style, so
# only changed files are checked again; the checks run in parallel.

STYLE_CACHE ?= $(or $(FIXEDBAR_STYLE_CACHE),/var/cache/pci_fixedbar/style)
CHECKPATCH := $(STYLE_CACHE)/scripts/checkpatch.pl
KERNEL_CLANG_FORMAT := $(STYLE_CACHE)/.clang-format
CLANG_FORMAT ?= clang-format-14
SHELLCHECK ?= shellcheck
STYLE_DIR := $(BUILD)/style
STYLE_JOBS ?= $(shell nproc)

# Kernel-only code gets checkpatch without exceptions.
STYLE_KERNEL_C := $(wildcard module/*.[ch] kunit/*.[ch])
# Code that is also built in userspace (the planner is shared with the
# tools and the tests): the kernel macros checkpatch asks for (ARRAY_SIZE,
# __printf, __packed, ...) come from kernel headers that userspace lacks,
# and the planner's environment header fixedbar_types.h, a frozen
# interface, does not provide them.
STYLE_USER_C := $(wildcard planner/*.[ch] tools/*.[ch] tests/unit/*.[ch] \
	tests/gen/*.[ch] tests/fuzz/*.[ch])
CHECKPATCH_FLAGS := --no-tree -f --terse --show-types --no-summary \
	--color=never
CHECKPATCH_USER_IGNORE := ARRAY_SIZE,PREFER_DEFINED_ATTRIBUTE_MACRO

# clang-format-14 with the kernel's .clang-format, plus two overrides that
# $(STYLE_DIR)/clang-format.yaml carries:
#  - PenaltyBreakBeforeFirstCallParameter 30 -> 10000: the kernel never
#    splits a message string and lets it run past column 80; with 30,
#    clang-format instead breaks every such call right after its "(" and
#    pushes all arguments to the next line, which no kernel file does.
#  - ForEachMacros += jansson's json_array_foreach/json_object_foreach, so
#    their bodies keep the brace on the same line like list_for_each.
# clang-format-14 cannot keep tab-aligned trailing comments (the kernel's
# file says AlignTrailingComments: false and 14 has no "leave" mode), so
# the declaration blocks that carry them are wrapped in
# /* clang-format off */ ... /* clang-format on */; everything else in
# these files must be exactly as clang-format writes it.
STYLE_CF := $(wildcard planner/*.[ch] tools/*.[ch])

# Every shell script: by name, plus the bash TAP scripts and the CI entry.
STYLE_SH := $(sort $(wildcard scripts/*.sh .ci/run) \
	$(shell find tests dracut -type f \( -name '*.sh' -o -name '*.t' \) \
		2>/dev/null) \
	$(wildcard initramfs-tools/hooks/* initramfs-tools/scripts/*/*))

STYLE_STAMPS := $(STYLE_KERNEL_C:%=$(STYLE_DIR)/checkpatch/%.ok) \
	$(STYLE_USER_C:%=$(STYLE_DIR)/checkpatch/%.ok) \
	$(STYLE_CF:%=$(STYLE_DIR)/clang-format/%.ok) \
	$(STYLE_DIR)/shellcheck.ok $(STYLE_DIR)/dot-clang-format.ok

# The checks run in a sub-make so that a plain `make style` (the hook
# runs it without -j) still uses every CPU; -k reports every finding.
style: $(CHECKPATCH)
	@for t in $(CLANG_FORMAT) $(SHELLCHECK); do command -v $$t >/dev/null || \
		{ echo "make style: $$t not found (apt-get install clang-format-14 shellcheck)"; exit 1; }; done
	@$(MAKE) --no-print-directory -k -O \
		$(if $(filter -j%,$(MAKEFLAGS)),,-j$(STYLE_JOBS)) style-stamps
	@echo "make style: clean"

style-stamps: $(STYLE_STAMPS)

.PHONY: style style-stamps

$(CHECKPATCH) $(KERNEL_CLANG_FORMAT) &:
	scripts/fetch-style-tools.sh >/dev/null

$(STYLE_KERNEL_C:%=$(STYLE_DIR)/checkpatch/%.ok): $(STYLE_DIR)/checkpatch/%.ok: \
		% $(CHECKPATCH) style.mk
	@$(CHECKPATCH) $(CHECKPATCH_FLAGS) $<
	@mkdir -p $(dir $@) && touch $@

$(STYLE_USER_C:%=$(STYLE_DIR)/checkpatch/%.ok): $(STYLE_DIR)/checkpatch/%.ok: \
		% $(CHECKPATCH) style.mk
	@$(CHECKPATCH) $(CHECKPATCH_FLAGS) \
		--ignore $(CHECKPATCH_USER_IGNORE) $<
	@mkdir -p $(dir $@) && touch $@

$(STYLE_DIR)/clang-format.yaml: $(KERNEL_CLANG_FORMAT) style.mk
	@mkdir -p $(dir $@)
	@sed -e 's/^\(PenaltyBreakBeforeFirstCallParameter:\).*/\1 10000/' \
		-e "/^ForEachMacros:/a\\  - 'json_array_foreach'\\n  - 'json_object_foreach'" \
		$< >$@.tmp
	@grep -q '^PenaltyBreakBeforeFirstCallParameter: 10000$$' $@.tmp
	@grep -q "json_array_foreach" $@.tmp
	@mv $@.tmp $@

$(STYLE_CF:%=$(STYLE_DIR)/clang-format/%.ok): $(STYLE_DIR)/clang-format/%.ok: \
		% $(STYLE_DIR)/clang-format.yaml
	@if ! out=$$($(CLANG_FORMAT) --dry-run --Werror \
			--style=file:$(STYLE_DIR)/clang-format.yaml $< 2>&1); then \
		printf '%s\n' "$$out" | grep -E '^[^ ]+:[0-9]+:[0-9]+: ' | \
			awk -F: '!seen[$$2]++' || printf '%s\n' "$$out"; \
		echo "$<: fix: $(CLANG_FORMAT) -i --style=file:$(STYLE_DIR)/clang-format.yaml $<"; \
		exit 1; \
	fi
	@mkdir -p $(dir $@) && touch $@

# The top-level .clang-format is the kernel's, verbatim, for editors.
$(STYLE_DIR)/dot-clang-format.ok: .clang-format $(KERNEL_CLANG_FORMAT)
	@cmp -s $^ || { echo ".clang-format: differs from the kernel's $(KERNEL_CLANG_FORMAT)"; exit 1; }
	@mkdir -p $(dir $@) && touch $@

# One run over all scripts: a change to a sourced helper (tests/tools/tap.sh)
# can affect the findings in the scripts that source it.
$(STYLE_DIR)/shellcheck.ok: $(STYLE_SH)
	@$(SHELLCHECK) -x -f gcc $^
	@mkdir -p $(dir $@) && touch $@
