package org.jvirt.vmm.devices.acpi;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jvirt.vmm.testutil.RecordingInterruptLine;
import org.junit.jupiter.api.Test;

class AcpiPmTest {
    final RecordingInterruptLine sci = new RecordingInterruptLine();
    final AtomicInteger powerOffs = new AtomicInteger();
    final AtomicLong now = new AtomicLong(1_000_000);
    final AcpiPm pm = new AcpiPm(sci, powerOffs::incrementAndGet, now::get);

    @Test
    void sciEnabledAtResetAndPowerButtonRaisesSciWhenEnabled() {
        assertEquals(1, pm.read(AcpiPm.PM1_CNT_OFFSET, 2) & 1, "SCI_EN set: always in ACPI mode");
        pm.pressPowerButton();
        assertEquals(0x100, pm.read(0, 2) & 0x100);
        assertFalse(sci.level(), "PWRBTN_EN still clear");
        pm.write(2, 2, 0x100); // PWRBTN_EN
        assertTrue(sci.level());
        pm.write(0, 2, 0x100); // write 1 to clear
        assertFalse(sci.level());
        assertEquals(0, pm.read(0, 2));
        pm.write(AcpiPm.PM1_CNT_OFFSET, 2, 0); // SCI_EN cannot be turned off
        assertEquals(1, pm.read(AcpiPm.PM1_CNT_OFFSET, 2) & 1);
    }

    @Test
    void dwordAccessCoversStatusAndEnable() {
        pm.write(0, 4, 0x0100_0000L); // enable PWRBTN via the upper half
        assertEquals(0x0100_0000L, pm.read(0, 4));
        pm.pressPowerButton();
        assertEquals(0x0100_0100L, pm.read(0, 4));
        assertTrue(sci.level());
    }

    @Test
    void s5PowersOffOnlyWithSlpEn() {
        pm.write(AcpiPm.PM1_CNT_OFFSET, 2, 1 | (AcpiPm.SLP_TYP_S5 << 10));
        assertEquals(0, powerOffs.get(), "SLP_TYP without SLP_EN");
        pm.write(AcpiPm.PM1_CNT_OFFSET, 2, 1 | 0x2000 | (5 << 10));
        assertEquals(0, powerOffs.get(), "another sleep type is ignored");
        pm.write(AcpiPm.PM1_CNT_OFFSET, 2, 1 | 0x2000 | (AcpiPm.SLP_TYP_S5 << 10));
        assertEquals(1, powerOffs.get());
        assertEquals(0, pm.read(AcpiPm.PM1_CNT_OFFSET, 2) & 0x2000, "SLP_EN reads as 0");
    }

    @Test
    void pmTimerRunsAt3_58MHzAndWraps24Bits() {
        assertEquals(0, pm.read(AcpiPm.PM_TMR_OFFSET, 4));
        now.addAndGet(1_000_000_000L);
        assertEquals(3_579_545 & 0xFFFFFF, pm.read(AcpiPm.PM_TMR_OFFSET, 4));
        now.addAndGet(1_000_000L);
        assertEquals((3_579_545 + 3_579) & 0xFFFFFF, pm.read(AcpiPm.PM_TMR_OFFSET, 4));
        now.addAndGet(100L * 86_400 * 1_000_000_000L); // 100 days: no overflow
        long t = pm.read(AcpiPm.PM_TMR_OFFSET, 4);
        assertTrue(t >= 0 && t <= 0xFFFFFF);
    }

    @Test
    void snapshotRoundTrip() throws Exception {
        pm.write(2, 2, 0x100);
        pm.pressPowerButton();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        pm.saveState(new DataOutputStream(b));
        RecordingInterruptLine sci2 = new RecordingInterruptLine();
        AcpiPm copy = new AcpiPm(sci2, () -> { }, now::get);
        copy.loadState(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        assertTrue(sci2.level());
        assertEquals(pm.read(0, 4), copy.read(0, 4));
        assertEquals(pm.read(4, 2), copy.read(4, 2));
    }

    @Test
    void resetClearsEventsKeepsSciEnabled() {
        pm.write(2, 2, 0x100);
        pm.pressPowerButton();
        assertTrue(sci.level());
        pm.reset();
        assertFalse(sci.level());
        assertEquals(0, pm.read(0, 4));
        assertEquals(1, pm.read(AcpiPm.PM1_CNT_OFFSET, 2));
    }
}
