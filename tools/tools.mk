# SPDX-License-Identifier: GPL-2.0
#
# Userspace tools; included by the top-level Makefile.
#
#   make tools         $(BUILD)/rel/fixedbar-plan
#   make check-tools   the CLI tests (tests/tools/*.t) against the
#                      sanitizer build $(BUILD)/san/fixedbar-plan

JANSSON_CFLAGS := $(shell pkg-config --cflags jansson)
JANSSON_LIBS := $(shell pkg-config --libs jansson)

PLAN_TOOL_SRCS := tools/fixedbar-plan.c tools/json_topo.c tools/sysfs_topo.c
TOOL_HDRS := $(wildcard tools/*.h) $(PLANNER_HDRS)

$(BUILD)/rel/tools/%.o: tools/%.c $(TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TOOL_CFLAGS) $(JANSSON_CFLAGS) -c -o $@ $<
$(BUILD)/san/tools/%.o: tools/%.c $(TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $(TOOL_CFLAGS) $(JANSSON_CFLAGS) -c -o $@ $<

$(BUILD)/rel/fixedbar-plan: $(PLAN_TOOL_SRCS:%.c=$(BUILD)/rel/%.o) \
		$(BUILD)/rel/libfixedbar.a
	$(CC) $(CFLAGS) -o $@ $^ $(JANSSON_LIBS)
$(BUILD)/san/fixedbar-plan: $(PLAN_TOOL_SRCS:%.c=$(BUILD)/san/%.o) \
		$(BUILD)/san/libfixedbar.a
	$(CC) $(SAN_FLAGS) -o $@ $^ $(JANSSON_LIBS)

tools: $(BUILD)/rel/fixedbar-plan

check-tools: $(BUILD)/san/fixedbar-plan
	FIXEDBAR_PLAN=$(abspath $(BUILD)/san/fixedbar-plan) \
		prove --exec bash tests/tools/*.t
