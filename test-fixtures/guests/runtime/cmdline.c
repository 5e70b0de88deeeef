/* Reading numeric options from the PVH command line. */
#include "rt.h"

/* The number after "KEY=" on the PVH command line, or def when absent. */
u64 cmdline_number(const char *key, u64 def)
{
	struct hvm_start_info *si = (struct hvm_start_info *)pvh_start_info;
	if (!si || si->magic != HVM_START_MAGIC || !si->cmdline_paddr)
		return def;
	const char *s = (const char *)si->cmdline_paddr;
	size_t klen = strlen(key);
	for (; *s; s++) {
		if ((s == (const char *)si->cmdline_paddr || s[-1] == ' ') && !memcmp(s, key, klen) && s[klen] == '=') {
			u64 v = 0;
			for (s += klen + 1; *s >= '0' && *s <= '9'; s++)
				v = v * 10 + (u64)(*s - '0');
			return v;
		}
	}
	return def;
}
