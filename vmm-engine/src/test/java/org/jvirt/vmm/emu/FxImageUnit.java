package org.jvirt.vmm.emu;

import org.jvirt.vmm.emu.cpu.ExtensionUnit;
import org.jvirt.vmm.emu.cpu.LinearMemory;

import java.util.Arrays;

/** An x87/SSE unit that only holds its FXSAVE image: what the state mapping needs of the real one. */
final class FxImageUnit implements ExtensionUnit {
    final byte[] image = new byte[512];

    FxImageUnit() { reset(); }

    @Override
    public void x87(int escape, int modrm, long memLinear, LinearMemory mem, boolean user, boolean operandSize16) {
        throw new UnsupportedOperationException("no instructions in this test unit");
    }

    @Override
    public boolean sse(int map, int opcode, int prefix, int modrm, int reg, int rm, long memLinear, LinearMemory mem,
                       boolean user, boolean rexW, int imm8) {
        return false;
    }

    @Override
    public void reset() {
        Arrays.fill(image, (byte) 0);
        image[0] = 0x7f;
        image[1] = 0x03;         // FCW 0x37F
        image[24] = (byte) 0x80;
        image[25] = 0x1f;        // MXCSR 0x1F80
    }

    @Override public void saveFxImage(byte[] out512) { System.arraycopy(image, 0, out512, 0, 512); }

    @Override public void loadFxImage(byte[] in512) { System.arraycopy(in512, 0, image, 0, 512); }
}
