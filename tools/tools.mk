# SPDX-License-Identifier: GPL-2.0
#
# Userspace tools; included by the top-level Makefile.
#
#   make tools         $(BUILD)/rel/fixedbar-plan
#   make check-tools   the CLI tests (tests/tools/*.t) against the
#                      sanitizer build $(BUILD)/san/fixedbar-plan

# pkg-config runs when a recipe first needs it (then once), not while the
# makefiles are read: before make deps has installed it there is nothing to
# ask and nothing to complain about.
pkg-config-lazy = $(eval $(1) := $$(shell pkg-config $(2) 2>/dev/null))$($(1))
JANSSON_CFLAGS = $(call pkg-config-lazy,JANSSON_CFLAGS,--cflags jansson)
JANSSON_LIBS = $(call pkg-config-lazy,JANSSON_LIBS,--libs jansson)

PLAN_TOOL_SRCS := tools/fixedbar-plan.c tools/json_topo.c tools/sysfs_topo.c \
	tools/svg.c tools/kres.c
TOOL_HDRS := $(wildcard tools/*.h) $(PLANNER_HDRS)

$(BUILD)/rel/tools/%.o: tools/%.c $(TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TOOL_CFLAGS) $(JANSSON_CFLAGS) -c -o $@ $<
$(BUILD)/san/tools/%.o: tools/%.c $(TOOL_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $(TOOL_CFLAGS) $(JANSSON_CFLAGS) -c -o $@ $<

$(BUILD)/rel/fixedbar-plan: $(PLAN_TOOL_SRCS:%.c=$(BUILD)/rel/%.o) \
		$(BUILD)/rel/libfixedbar.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS)
$(BUILD)/san/fixedbar-plan: $(PLAN_TOOL_SRCS:%.c=$(BUILD)/san/%.o) \
		$(BUILD)/san/libfixedbar.a
	$(CC) $(SAN_FLAGS) -o $@ $^ $(JANSSON_LIBS)

# Each further tool has its own rules file, which appends its binaries to
# TOOLS_REL and TOOLS_SAN and exports what its tests need (FIXEDBAR_HOST,
# FIXEDBAR_CHECK, ...) through TOOLS_ENV.
TOOLS_REL := $(BUILD)/rel/fixedbar-plan
TOOLS_SAN := $(BUILD)/san/fixedbar-plan
TOOLS_ENV := FIXEDBAR_PLAN=$(abspath $(BUILD)/san/fixedbar-plan)
-include tools/fixedbar-host.mk
-include tools/fixedbar-check.mk

tools: $(TOOLS_REL)

# svg.t renders with rsvg-convert
check-tools: svg-tool-deps
svg-tool-deps:
	scripts/install-deps.sh svg
.PHONY: svg-tool-deps

check-tools: $(TOOLS_SAN)
	$(TOOLS_ENV) prove --exec bash tests/tools/*.t
