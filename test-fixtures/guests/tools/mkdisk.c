/*
 * Host helper for the virtio-blk guest.
 *   mkdisk FILE          create a 1 MiB raw image whose sector 0 is
 *                        "JVIRT-DISK-0" followed by byte i = i & 0xff
 *   mkdisk --check FILE  exit 0 iff sector 1 is "WRITTEN-BY-GUEST" followed
 *                        by byte i = 0xff - (i & 0xff)
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	unsigned char s[512];
	if (argc == 3 && !strcmp(argv[1], "--check")) {
		FILE *f = fopen(argv[2], "rb");
		if (!f || fseek(f, 512, SEEK_SET) || fread(s, 1, 512, f) != 512) {
			fprintf(stderr, "mkdisk: cannot read sector 1 of %s\n", argv[2]);
			return 2;
		}
		fclose(f);
		int ok = !memcmp(s, "WRITTEN-BY-GUEST", 16);
		for (int i = 16; i < 512; i++)
			ok &= s[i] == (unsigned char)(0xff - (i & 0xff));
		printf("sector 1 %s\n", ok ? "has the guest's pattern" : "does NOT have the guest's pattern");
		return ok ? 0 : 1;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: mkdisk FILE | mkdisk --check FILE\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "wb");
	if (!f)
		return 2;
	static unsigned char img[1 << 20];
	memcpy(img, "JVIRT-DISK-0", 12);
	for (int i = 12; i < 512; i++)
		img[i] = i & 0xff;
	int ok = fwrite(img, 1, sizeof(img), f) == sizeof(img);
	return fclose(f) == 0 && ok ? 0 : 2;
}
