package org.jvirt.vmm.emu.diff;

/**
 * One generated step of a sequence: the instruction bytes (sometimes a short set-up plus the
 * instruction under test, e.g. "mov cl,5; shl eax,cl"), its text, and the arithmetic flags it
 * reads, leaves architecturally defined and leaves undefined ({@link Flags}). A unit is what the
 * shrinker drops or keeps as a whole.
 */
record Unit(byte[] bytes, String text, int reads, int defines, int undefines) {

    /** This unit run after setup (both kept or dropped together). */
    Unit after(Unit setup) {
        byte[] b = new byte[setup.bytes.length + bytes.length];
        System.arraycopy(setup.bytes, 0, b, 0, setup.bytes.length);
        System.arraycopy(bytes, 0, b, setup.bytes.length, bytes.length);
        int undefinedBySetup = setup.undefines & ~defines & ~undefines;
        if ((reads & setup.undefines) != 0) throw new IllegalArgumentException("unit reads flags its setup left undefined");
        return new Unit(b, setup.text + "; " + text, setup.reads | (reads & ~setup.defines & ~setup.undefines),
                (setup.defines & ~undefines) | defines, undefines | undefinedBySetup);
    }

    static Unit of(byte[] bytes, String text) { return new Unit(bytes, text, 0, 0, 0); }
}
