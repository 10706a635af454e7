# SPDX-License-Identifier: GPL-2.0
#
# KUnit suites; included by the top-level Makefile.
#
#   make kunit          runs pci_fixedbar_plan, pci_fixedbar_parse and
#                       pci_fixedbar_apply on UML in Debian's linux-source
#                       6.1 and 6.12 (scripts/kunit.sh); KUNIT_VERSIONS
#                       picks the kernels
#   make check-kunit    kunit-san on 6.12 only (KUNIT_CHECK_VERSIONS), as
#                       part of make check: each cold UML build costs about
#                       5 minutes on 2 CPUs, and the module itself is built
#                       and booted on 6.1 by check-e2e, check-arm64 and
#                       check-boot
#   make kunit-san      the same with KASAN, UBSAN, lockdep and fault
#                       injection (kunit/sanitizers.config, scripts/kunit.sh
#                       --san); a cold 6.12 build took 551 s against 488 s
#                       without them, the run 1.0 s against 0.15 s

KUNIT_VERSIONS ?= 6.1 6.12
KUNIT_CHECK_VERSIONS ?= 6.12

.PHONY: kunit check-kunit kunit-san

kunit:
	scripts/kunit.sh $(KUNIT_VERSIONS)

check-kunit:
	scripts/kunit.sh --san $(KUNIT_CHECK_VERSIONS)

kunit-san:
	scripts/kunit.sh --san $(KUNIT_VERSIONS)

CHECK_TARGETS += check-kunit
