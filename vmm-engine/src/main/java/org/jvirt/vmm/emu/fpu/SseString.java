package org.jvirt.vmm.emu.fpu;

/** placeholder */
final class SseString {
    private final SseContext c;

    SseString(SseContext c) {
        this.c = c;
    }

    boolean execute() { return false; }

    boolean crc32() { return false; }
}
