# SPDX-License-Identifier: GPL-2.0
#
# fixedbar-host: host-side descriptors and QEMU options from host sysfs.
# Included by tools/tools.mk; its tests are tests/tools/host.t and
# host-libvirt.t, and tests/libvirt (make check-libvirt).

HOST_TOOL_SRCS := tools/fixedbar-host.c tools/host_args.c tools/host_sysfs.c \
	tools/host_topo.c tools/host_window.c tools/host_check.c \
	tools/host_emit.c tools/host_json.c tools/host_plan.c tools/aml.c \
	tools/host_libvirt.c tools/kres.c

$(BUILD)/rel/fixedbar-host: $(HOST_TOOL_SRCS:%.c=$(BUILD)/rel/%.o) \
		$(BUILD)/rel/libfixedbar.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS)
$(BUILD)/san/fixedbar-host: $(HOST_TOOL_SRCS:%.c=$(BUILD)/san/%.o) \
		$(BUILD)/san/libfixedbar.a
	$(CC) $(SAN_FLAGS) -o $@ $^ $(JANSSON_LIBS)

TOOLS_REL += $(BUILD)/rel/fixedbar-host
TOOLS_SAN += $(BUILD)/san/fixedbar-host
TOOLS_ENV += FIXEDBAR_HOST=$(abspath $(BUILD)/san/fixedbar-host)

# host.t compiles the ASL with iasl, the overlay with dtc/fdtoverlay and
# asks QEMU's option parser about the qemu output
# (host-libvirt.t: libvirt's virt-xml-validate about the libvirt output)
check-tools: host-tool-deps
host-tool-deps:
	scripts/install-deps.sh host
.PHONY: host-tool-deps
