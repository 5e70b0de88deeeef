package org.jvirt.vmm.machine;

import org.jvirt.vmm.devices.debug.DebugExit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DebugExitTest {

    @Test
    void reportsTheWrittenValueAndQemuStatus() {
        List<Integer> seen = new ArrayList<>();
        DebugExit d = new DebugExit(seen::add);
        d.write(0, 1, 0x1ff); // a byte write keeps the low byte
        d.write(0, 4, 0x12345678);
        assertEquals(List.of(0xff, 0x12345678), seen);
        assertEquals(0, d.read(0, 1));
        assertEquals(1, DebugExit.exitStatus(0));
        assertEquals(3, DebugExit.exitStatus(1));
        assertEquals(11, MachineExit.debugExit(5).exitStatus());
        assertEquals(0, MachineExit.powerOff().exitStatus());
        assertEquals(1, MachineExit.error("x").exitStatus());
    }
}
