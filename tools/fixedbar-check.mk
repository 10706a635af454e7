# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-check (guest side verification, libpci); included by
# tools/tools.mk.  The static guest builds are in tests/e2e/e2e.mk and
# tests/arm64/build.sh.

CHECK_TOOL_SRCS := tools/fixedbar-check.c tools/check_src.c \
	tools/fixedbar_aml.c tools/kres.c tools/check_svg.c tools/sysfs_topo.c \
	tools/svg.c
LIBPCI_LIBS = $(call pkg-config-lazy,LIBPCI_LIBS,--libs libpci)

$(BUILD)/rel/fixedbar-check: $(CHECK_TOOL_SRCS:%.c=$(BUILD)/rel/%.o) \
		$(BUILD)/rel/libfixedbar.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBPCI_LIBS) $(JANSSON_LIBS)
$(BUILD)/san/fixedbar-check: $(CHECK_TOOL_SRCS:%.c=$(BUILD)/san/%.o) \
		$(BUILD)/san/libfixedbar.a
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBPCI_LIBS) $(JANSSON_LIBS)

TOOLS_REL += $(BUILD)/rel/fixedbar-check
TOOLS_SAN += $(BUILD)/san/fixedbar-check
TOOLS_ENV += FIXEDBAR_CHECK=$(abspath $(BUILD)/san/fixedbar-check)

# service.t runs systemd-analyze verify on fixedbar-check.service
check-tools: service-tool-deps
service-tool-deps:
	scripts/install-deps.sh service
.PHONY: service-tool-deps
