# SPDX-License-Identifier: GPL-2.0
#
# Randomized planner tests and the benchmark; included by the top-level
# Makefile.
#
#   $(BUILD)/san/tests/test_random   TAP, run by check-unit (sanitizers)
#   $(BUILD)/san/tests/test_exhaustive  TAP: the planner against an
#                                    exhaustive solver on tiny topologies
#   $(BUILD)/rel/corpus              TAP, run by check-unit: the quick
#                                    many-fixed and tight-aperture corpora
#   make bench                       planner timings and window efficiency,
#                                    then every corpus with its worst times

GEN_CFLAGS := -std=gnu11 $(WARNFLAGS) -Iplanner -Itests/unit -Itests/gen
GEN_HDRS := tests/gen/gen.h tests/unit/tap.h $(PLANNER_HDRS)

$(BUILD)/san/tests/test_random: tests/gen/test_random.c tests/gen/gen.c \
		$(GEN_HDRS) $(BUILD)/san/libfixedbar.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $(GEN_CFLAGS) -o $@ tests/gen/test_random.c \
		tests/gen/gen.c $(BUILD)/san/libfixedbar.a

$(BUILD)/san/tests/test_exhaustive: tests/gen/test_exhaustive.c \
		tests/gen/brute.c tests/gen/brute.h $(GEN_HDRS) \
		$(BUILD)/san/libfixedbar.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $(GEN_CFLAGS) -o $@ tests/gen/test_exhaustive.c \
		tests/gen/brute.c $(BUILD)/san/libfixedbar.a

$(BUILD)/rel/bench: tests/gen/bench.c tests/gen/gen.c $(GEN_HDRS) \
		$(BUILD)/rel/libfixedbar.a
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(GEN_CFLAGS) -o $@ tests/gen/bench.c tests/gen/gen.c \
		$(BUILD)/rel/libfixedbar.a

$(BUILD)/rel/corpus: tests/gen/corpus.c tests/gen/gen.c $(GEN_HDRS) \
		$(BUILD)/rel/libfixedbar.a
	@mkdir -p $(dir $@)
	$(CC) -O2 -g $(GEN_CFLAGS) -o $@ tests/gen/corpus.c tests/gen/gen.c \
		$(BUILD)/rel/libfixedbar.a

UNIT_TAP_BINS += $(BUILD)/san/tests/test_random
UNIT_TAP_BINS += $(BUILD)/san/tests/test_exhaustive

UNIT_TAP_BINS += $(BUILD)/rel/corpus

bench: $(BUILD)/rel/bench $(BUILD)/rel/corpus
	$(BUILD)/rel/bench
	$(BUILD)/rel/corpus --full
