# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer harnesses for the code that parses untrusted input
# (tests/fuzz/README.md); included by the top-level Makefile.
#
#   make fuzz         runs each harness for FUZZ_SECONDS (default 60) on a
#                     corpus in $(BUILD)/fuzz/corpus/<name>, seeded from
#                     tests/fuzz/corpus/<name>; fails on the first finding,
#                     which lands in $(BUILD)/fuzz/artifacts/<name>/
#   make check-fuzz   replays the seed corpus and tests/fuzz/regress/
#                     through the harnesses (seconds; part of make check)
#
# The harnesses are built with clang's -fsanitize=fuzzer plus ASan and
# UBSan, from the sources themselves (not libfixedbar.a, which gcc builds).

FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# the planner has helpers only some configurations use
FUZZ_CFLAGS := -std=gnu11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
	-Wno-unused-parameter -Wno-unused-function -Iplanner -Itools
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_NAMES := parse json aml

# harness name: its sources besides tests/fuzz/fuzz_<name>.c, libraries,
# libFuzzer options
FUZZ_SRCS_parse := planner/parse.c planner/topo.c
FUZZ_SRCS_json := tools/json_topo.c $(PLANNER_SRCS)
FUZZ_SRCS_aml := tools/fixedbar_aml.c planner/parse.c planner/topo.c
FUZZ_LIBS_json := $(JANSSON_LIBS)
FUZZ_OPTS_parse := -max_len=512
FUZZ_OPTS_json := -max_len=4096 -timeout=30
FUZZ_OPTS_aml := -max_len=4096

FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)

.SECONDEXPANSION:
$(FUZZ_BINS): $(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) \
		$(TOOL_HDRS) | fuzz-deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CFLAGS) $(JANSSON_CFLAGS) -o $@ $< \
		$(FUZZ_SRCS_$*) $(FUZZ_LIBS_$*)

fuzz-deps:
	scripts/install-deps.sh fuzz

fuzz-build: $(FUZZ_BINS)

# One harness after the other, each on one core.
fuzz: $(FUZZ_BINS)
	@for n in $(FUZZ_NAMES); do \
		$(MAKE) --no-print-directory fuzz-$$n || exit 1; \
	done

fuzz-%: $(FUZZ_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/artifacts/$*
	@echo "fuzz: $* for $(FUZZ_SECONDS)s, log in $(FUZZ_DIR)/$*.log"
	@$< -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-dict=tests/fuzz/$*.dict $(FUZZ_OPTS_$*) \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/$*/ \
		$(FUZZ_DIR)/corpus/$* tests/fuzz/corpus/$* \
		$(wildcard tests/fuzz/regress/$*) >$(FUZZ_DIR)/$*.log 2>&1 || \
		{ tail -n 60 $(FUZZ_DIR)/$*.log; \
		  echo "fuzz: $* found a bug, input in $(FUZZ_DIR)/artifacts/$*/"; \
		  exit 1; }
	@grep -E '^(Done|stat::number_of_executed_units)' $(FUZZ_DIR)/$*.log

# Every seed and regression input once, one TAP line per harness and
# directory; inputs in regress/<name>-pending/ are known bugs (TODO).
check-fuzz: $(FUZZ_BINS)
	FUZZ_BIN=$(abspath $(FUZZ_DIR)) prove --exec bash tests/fuzz/replay.sh

.PHONY: fuzz fuzz-build fuzz-deps check-fuzz $(FUZZ_NAMES:%=fuzz-%)

CHECK_TARGETS += check-fuzz
