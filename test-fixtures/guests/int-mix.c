/*
 * int-mix: a benchmark guest with a mixed integer workload at CPL3: an xorshift
 * generator filling an array, insertion-free merge sort of it, a checksum with
 * multiplications and divisions, and byte-wise string work (memcpy/memcmp).
 * `rounds=N` on the kernel command line (default 20). Prints a checksum that
 * depends on every step, so two CPU backends can be compared for agreement too.
 */
#include "rt.h"

GUEST_NAME("int-mix");

#define N 16384
static u32 data[N], tmp[N];
static u8 bytes_a[4096], bytes_b[4096];

static void merge_sort(u32 *a, u32 *t, u32 n)
{
	for (u32 width = 1; width < n; width *= 2) {
		for (u32 lo = 0; lo < n; lo += 2 * width) {
			u32 mid = lo + width < n ? lo + width : n;
			u32 hi = lo + 2 * width < n ? lo + 2 * width : n;
			u32 i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				t[k++] = a[i] <= a[j] ? a[i++] : a[j++];
			while (i < mid)
				t[k++] = a[i++];
			while (j < hi)
				t[k++] = a[j++];
		}
		memcpy(a, t, n * sizeof(u32));
	}
}

void guest_main(void)
{
	u64 rounds = cmdline_number("rounds", 20);
	u64 seed = 0x243f6a8885a308d3UL, sum = 0;
	for (u64 r = 0; r < rounds; r++) {
		for (u32 i = 0; i < N; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			data[i] = (u32)seed;
		}
		merge_sort(data, tmp, N);
		for (u32 i = 1; i < N; i++)
			if (data[i - 1] > data[i])
				fail("array not sorted at %u", i);
		for (u32 i = 0; i < N; i += 7)
			sum = sum * 31 + data[i] / (i % 13 + 1) + data[i] % 1000003;
		for (u32 i = 0; i < sizeof(bytes_a); i++)
			bytes_a[i] = (u8)(data[i] >> 3);
		memcpy(bytes_b, bytes_a, sizeof(bytes_a));
		bytes_b[r % sizeof(bytes_b)] ^= 1;
		sum += (u64)memcmp(bytes_a, bytes_b, sizeof(bytes_a)) & 0xff;
	}
	printf("int-mix: %lu rounds, checksum %lx\n", rounds, sum);
}
