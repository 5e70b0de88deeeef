package org.jvirt.vmm.cpu.kvm;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/** The XSAVE header's XSTATE_BV gets every component the guest enabled (and x87, SSE); nothing else changes. */
class CanonicalXsaveTest {
    @Test
    void setsTheEnabledComponentsBitsOnly() {
        byte[] area = new byte[4096];
        area[100] = 42;
        ByteBuffer b = ByteBuffer.wrap(area).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(512, 0x1); // hardware left only x87 marked in use
        byte[] out = KvmVcpuState.canonicalXsave(area.clone(), 0x7); // XCR0 = x87|SSE|AVX
        ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x7, o.getLong(512));
        assertEquals(42, out[100]);
        assertEquals(0x3, ByteBuffer.wrap(KvmVcpuState.canonicalXsave(new byte[4096], 1)).order(ByteOrder.LITTLE_ENDIAN).getLong(512),
                "x87 and SSE always (FXSAVE state exists without XCR0)");
    }
}
