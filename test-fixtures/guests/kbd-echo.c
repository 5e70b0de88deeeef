/*
 * kbd-echo: drives the 8042's keyboard and mouse and prints on COM1 every byte it reads from
 * port 0x60, so that the host can compare jvirt's PS/2 devices with QEMU's byte for byte.
 *
 * First it talks to the devices itself (interrupts off, polled): keyboard commands (reset,
 * identify, echo, scancode set, LEDs, typematic, scanning, an unknown command) and mouse
 * commands through 0xD4 (reset, the IntelliMouse knock, identify, resolution, status, scaling,
 * reporting on), printing "kbd CMD: replies" / "aux CMD: replies". Then it waits for the host's
 * keys in four modes, printing "k XX" per byte:
 *   "kbd-echo: keys translated set 2"  the command byte's translate bit on (the PC default)
 *   "kbd-echo: keys set 2"             translation off
 *   "kbd-echo: keys set 3"             F0 03
 *   "kbd-echo: keys set 1"             F0 01
 * Each mode ends when F12's release arrives (its bytes in that mode). Last, with the mouse
 * reporting, it prints "a XX" per mouse byte and "kbd-echo: mouse" first; F12's release
 * (set 1) ends it, and it passes.
 */
#include "rt.h"

GUEST_NAME("kbd-echo");

#define DATA 0x60
#define CTL 0x64
#define STS_OBF 0x01
#define STS_AUX 0x20

/* A byte if one arrives within a short spin, else -1; *aux says which port it came from. */
static int poll_byte(int *aux)
{
	for (int i = 0; i < 2000; i++) {
		u8 s = inb(CTL);
		if (s & STS_OBF) {
			*aux = (s & STS_AUX) != 0;
			return inb(DATA);
		}
	}
	return -1;
}

static void drain(void)
{
	int aux;
	while (poll_byte(&aux) >= 0)
		;
}

/* Prints the replies to what was just sent: every byte until the devices fall silent. */
static void replies(const char *dev, int cmd)
{
	int aux, b;
	printf("%s %02x:", dev, cmd);
	while ((b = poll_byte(&aux)) >= 0)
		printf(" %s%02x", aux ? "a" : "k", b);
	printf("\n");
}

static void kbd(u8 cmd) { outb(DATA, cmd); replies("kbd", cmd); }
static void aux(u8 cmd) { outb(CTL, 0xd4); outb(DATA, cmd); replies("aux", cmd); }

static void set_command_byte(u8 v) { outb(CTL, 0x60); outb(DATA, v); }

/* Prints keyboard bytes until the end marker (the last bytes of F12's release) arrives. */
static void keys(const char *mode, u8 end1, u8 end2, int two)
{
	u8 prev = 0;
	printf("kbd-echo: keys %s\n", mode);
	for (;;) {
		u8 s = inb(CTL);
		if (!(s & STS_OBF))
			continue;
		u8 b = inb(DATA);
		printf("%c %02x\n", (s & STS_AUX) ? 'a' : 'k', b);
		if (two ? (prev == end1 && b == end2) : b == end1)
			return;
		prev = b;
	}
}

void guest_main(void)
{
	/* both ports off, nothing left over, interrupts off, translation on */
	outb(CTL, 0xad);
	outb(CTL, 0xa7);
	drain();
	set_command_byte(0x44);
	outb(CTL, 0xae);
	outb(CTL, 0xa8);
	drain();

	kbd(0xff);
	kbd(0xf2);
	kbd(0xee);
	kbd(0xf0); kbd(0x00);
	kbd(0xed); kbd(0x02);
	kbd(0xf3); kbd(0x2b);
	kbd(0xf5);
	kbd(0xf4);
	kbd(0xef);
	kbd(0xf0); kbd(0x05);
	kbd(0xf0); kbd(0x02);

	aux(0xff);
	aux(0xf2);
	aux(0xf3); aux(200);
	aux(0xf3); aux(100);
	aux(0xf3); aux(80);
	aux(0xf2);
	aux(0xe8); aux(0x03);
	aux(0xe7);
	aux(0xe9);
	aux(0xe6);
	aux(0xee); aux(0x42); aux(0xec);
	aux(0xf4);
	aux(0xe9);

	keys("translated set 2", 0xd8, 0, 0);        /* F12 release: set 2 F0 07 -> 0x58 | 0x80 */
	set_command_byte(0x04);                        /* translation off */
	keys("set 2", 0xf0, 0x07, 1);
	kbd(0xf0); kbd(0x03);
	kbd(0xf0); kbd(0x00);
	keys("set 3", 0xf0, 0x5e, 1);
	kbd(0xf0); kbd(0x01);
	kbd(0xf0); kbd(0x00);
	keys("set 1", 0xd8, 0, 0);
	printf("kbd-echo: mouse\n");
	keys("end", 0xd8, 0, 0);
	printf("kbd-echo: done\n");
	pass();
}
