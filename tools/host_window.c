// SPDX-License-Identifier: GPL-2.0
/*
 * fixedbar-host: the machine's windows (QEMU 7.2 q35 and virt).
 */

#include "host.h"

/* --- the machine's windows ------------------------------------------ */

static unsigned int bits_for(u64 end_exclusive)
{
	unsigned int n = 0;

	while (n < 64 && (1ULL << n) < end_exclusive)
		n++;
	return n;
}

/* the lowest start and highest end of the fixed BARs above 4 GiB */
static bool high_span(u64 *lo, u64 *hi)
{
	bool any = false;
	int i, j;

	*lo = ~0ULL;
	*hi = 0;
	for (i = 0; i < nr_devs; i++)
		for (j = 0; j < devs[i].nr_bars; j++) {
			const struct bar *b = &devs[i].bars[j];

			if (!high_bar(b) || b->start < SZ_4G)
				continue;
			any = true;
			*lo = b->start < *lo ? b->start : *lo;
			*hi = b->end > *hi ? b->end : *hi;
		}
	return any;
}

u64 q35_below_4g(void)
{
	u64 lowmem = opt.ram >= 0xb0000000ULL ? 0x80000000ULL : 0xb0000000ULL;

	return opt.ram < lowmem ? opt.ram : lowmem;
}

/*
 * OVMF ignores the SeaBIOS-style hole: it puts its 64-bit aperture at
 * ALIGN_UP(end of RAM, X-PciMmio64Mb rounded down to a power of two), of
 * that size, and assigns BARs upwards from its base; QEMU's _CRS starts at
 * the lowest assigned 64-bit BAR (or the end of RAM) and spans
 * pci-hole64-size, kept as for SeaBIOS so that it reaches the highest BAR
 * from either start.  Unless the size is at least 1/8 of the physical
 * address space, OVMF (edk2 2022.11 on) moves the aperture to its top
 * eighth instead.  So: the smallest power of two Z whose aligned aperture
 * [B, B + Z) holds every fixed BAR, with phys-bits <= log2(Z) + 3.
 */
static void ovmf_window(u64 ram_end, u64 lo, u64 hi)
{
	u64 z, base, top;
	unsigned int bits;

	for (z = SZ_1G; z && z <= (1ULL << 52); z <<= 1) {
		base = align_up(ram_end, z);
		if (base > lo)
			break;
		top = base + (win.hole64_size > z ? win.hole64_size : z);
		bits = bits_for(top) < 40 ? 40 : bits_for(top);
		if (base + z - 1 < hi || z < (1ULL << (bits - 3)))
			continue;
		win.ovmf_mmio64 = z;
		win.phys_bits = bits;
		win.start = base;
		win.end = top - 1;
		win.max_ram = 0;
		return;
	}
	check_error("--firmware ovmf: no OVMF aperture above guest RAM (ending at %s) holds the fixed BARs %s; lower --guest-ram",
		    size_str(ram_end), range_str(lo, hi));
}

void q35_window(void)
{
	u64 lo, hi, above = opt.ram - q35_below_4g(), start;

	start = align_up(SZ_4G + above, SZ_1G);
	/* RAM may grow until the hole would start above the lowest BAR */
	win.max_ram = 0;
	if (!high_span(&lo, &hi))
		return;
	if (align_down(lo, SZ_1G) >= SZ_4G)
		win.max_ram = align_down(lo, SZ_1G) - SZ_4G + 0x80000000ULL;
	win.hole64_size = hi >= start ? align_up(hi + 1, SZ_1G) - start : SZ_1G;
	/* QEMU relocates RAM above 4 GiB to 1 TiB for AMD guests (pc.c) */
	if (opt.amd && start + win.hole64_size - 1 >= AMD_HT_START) {
		u64 unmoved = start;

		start = align_up(SZ_1T + above, SZ_1G);
		win.max_ram = 0;
		/* the same top, from the new start (a BAR below it is refused) */
		win.hole64_size =
			hi >= start ? align_up(hi + 1, SZ_1G) - start : SZ_1G;
		/*
		 * QEMU decides the move from the unmoved start and this size
		 * (pc_max_used_gpa): keep that end past AMD_HT_START, or a
		 * BAR just above 1 TiB gets a small hole left at 4 GiB
		 */
		if (unmoved + win.hole64_size - 1 < AMD_HT_START)
			win.hole64_size =
				align_up(AMD_HT_START - unmoved + 1, SZ_1G);
	}
	win.start = start;
	win.end = align_up(start + win.hole64_size, SZ_1G) - 1;
	win.phys_bits = bits_for(win.end + 1);
	if (win.phys_bits < 40)
		win.phys_bits = 40;
	snprintf(win.option, sizeof(win.option), "-global");
	snprintf(win.value, sizeof(win.value), "q35-pcihost.pci-hole64-size=%s",
		 size_str(win.hole64_size));
	if (opt.ovmf)
		ovmf_window(start, lo, hi);
}

/* where virt puts its high regions after the RAM (virt_set_memmap) */
static void virt_high_regions(u64 *min_base, u64 *default_base)
{
	u64 base = align_up(VIRT_RAM_START + opt.ram, SZ_1G);

	if (base < SZ_256G)
		base = SZ_256G;
	base = align_up(base, SZ_64M) + SZ_64M; /* GIC redistributors */
	base = align_up(base, SZ_256M) + SZ_256M; /* ECAM */
	*min_base = align_up(base, SZ_1G);
	*default_base = align_up(base, SZ_512G);
}

void virt_window(void)
{
	u64 lo, hi, min_base, base;

	virt_high_regions(&min_base, &base);
	win.start = base;
	win.end = base + SZ_512G - 1;
	if (!high_span(&lo, &hi) || !opt.patched ||
	    (lo >= win.start && hi <= win.end))
		goto done;
	if (lo < base)
		base = align_down(lo, SZ_1G) < min_base ? min_base :
							  align_down(lo, SZ_1G);
	win.start = base;
	win.end = (hi > win.end ? align_up(hi + 1, SZ_1G) : win.end + 1) - 1;
	snprintf(win.option, sizeof(win.option), "-machine");
	snprintf(win.value, sizeof(win.value),
		 "highmem-mmio-window=0x%llx:0x%llx",
		 (unsigned long long)win.start,
		 (unsigned long long)(win.end - win.start + 1));
done:
	win.phys_bits = bits_for(win.end + 1);
}
