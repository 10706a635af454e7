# SPDX-License-Identifier: GPL-2.0
#
# KUnit suites; included by the top-level Makefile.
#
#   make kunit          runs pci_fixedbar_plan, pci_fixedbar_parse and
#                       pci_fixedbar_apply on UML in Debian's linux-source
#                       6.1 and 6.12 (scripts/kunit.sh); KUNIT_VERSIONS
#                       picks the kernels

KUNIT_VERSIONS ?= 6.1 6.12

.PHONY: kunit

kunit:
	scripts/kunit.sh $(KUNIT_VERSIONS)

CHECK_TARGETS += kunit
