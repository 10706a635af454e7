# SPDX-License-Identifier: GPL-2.0
#
# Planner unit tests: every tests/unit/test_*.c is one TAP program, built
# with ASan/UBSan against $(BUILD)/san/libfixedbar.a (and the objects of
# the tool code it tests, listed as extra prerequisites below).
#
#   make check-unit		build them and run them all under prove(1)
#
# Other test makefiles add their TAP programs with
#   UNIT_TAP_BINS += <binary>
# plus a rule that builds it; check-unit builds and runs them in the same
# prove run.  Prerequisites are expanded a second time so that additions
# from makefiles included after this one count too.

UNIT_TEST_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_TEST_BINS := $(UNIT_TEST_SRCS:tests/unit/%.c=$(BUILD)/san/tests/%)
UNIT_TAP_BINS += $(UNIT_TEST_BINS)

# prove runs the binaries themselves (--exec ''), not through perl
PROVE ?= prove
PROVE_FLAGS ?=

$(UNIT_TEST_BINS): $(BUILD)/san/tests/%: tests/unit/%.c tests/unit/tap.h \
		$(PLANNER_HDRS) $(BUILD)/san/libfixedbar.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $(TOOL_CFLAGS) -Itests/unit -o $@ $< \
		$(filter %.o,$^) $(BUILD)/san/libfixedbar.a

# tests of tool code link the tool's object as well
$(BUILD)/san/tests/test_aml: $(BUILD)/san/tools/fixedbar_aml.o

.SECONDEXPANSION:
check-unit: $$(UNIT_TAP_BINS)
	$(PROVE) $(PROVE_FLAGS) --exec '' $(UNIT_TAP_BINS)
