package org.jvirt.vmm.emu.diff;

import org.jvirt.vmm.bus.IoDevice;
import org.jvirt.vmm.cpu.state.ExtendedState;
import org.jvirt.vmm.cpu.state.VcpuState;
import org.jvirt.vmm.devices.serial.InMemorySerialBackend;
import org.jvirt.vmm.machine.Machine;
import org.jvirt.vmm.machine.MachineConfig;
import org.jvirt.vmm.testing.TestImages;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One backend (KVM or the emulator) as a differential-test target: a paused {@link Machine}
 * kept for many cases. Each run writes the guest, imports the case's vCPU state through the
 * backend-neutral {@link VcpuState}, resumes, waits for the terminator's or a handler's port
 * write, pauses (the guest then spins on "jmp $") and exports the state.
 */
final class DiffMachine implements AutoCloseable {
    private final Machine machine;
    private final VcpuState template;
    private final Semaphore exited = new Semaphore(0);
    private volatile int port, value;
    final String name;

    private DiffMachine(String name, Machine machine, VcpuState template) {
        this.name = name;
        this.machine = machine;
        this.template = template;
    }

    static DiffMachine open(MachineConfig.Accel accel, Path workDir) throws IOException, InterruptedException {
        Path kernel = workDir.resolve("diff-idle.elf");
        // never runs: the machine starts paused and every case replaces the vCPU state
        Files.write(kernel, TestImages.pvhElf(false, TestImages.bytes(0xF4, 0xEB, 0xFD), TestImages.LOAD, 0, TestImages.LOAD));
        MachineConfig cfg = MachineConfig.of(kernel).withMemory(64L << 20).withAccel(accel)
                .withSerial(new MachineConfig.Serial.Custom(new InMemorySerialBackend()));
        Machine m = Machine.create(cfg);
        try {
            m.start(true);
            VcpuState t = m.exportVcpuStates().get(0);
            DiffMachine d = new DiffMachine(accel.cliName(), m, t);
            m.pioBus().register(DiffLayout.DONE_PORT, 2, new IoDevice() {
                @Override public long read(long offset, int size) { return 0; }
                @Override public void write(long offset, int size, long v) {
                    d.port = (int) offset;
                    d.value = (int) v & 0xFF;
                    d.exited.release();
                }
            });
            return d;
        } catch (RuntimeException | InterruptedException e) {
            m.close();
            throw e;
        }
    }

    Outcome run(DiffCase c, Duration limit) throws InterruptedException, TimeoutException {
        DiffLayout.load(machine.memory(), c);
        machine.importVcpuStates(List.of(DiffLayout.state(template, c)));
        exited.drainPermits();
        machine.resume();
        boolean done = exited.tryAcquire(limit.toMillis(), TimeUnit.MILLISECONDS);
        machine.pause();
        VcpuState s = machine.exportVcpuStates().get(0);
        long[] g = new long[16];
        for (int i = 0; i < 16; i++) g[i] = s.general().get(DiffLayout.STATE_INDEX[i]);
        int vector = !done || port == 0 ? -1 : value;
        ByteBuffer x = ByteBuffer.wrap(s.extended().xsave()).order(ByteOrder.LITTLE_ENDIAN);
        long[] xmm = new long[32];
        for (int i = 0; i < 32; i++) xmm[i] = x.getLong(ExtendedState.XMM0 + 8 * i);
        return new Outcome(!done, vector, g, s.general().rip(), s.general().rflags(),
                read(DiffLayout.DATA, DiffLayout.DATA_SIZE), read(DiffLayout.STACK, DiffLayout.STACK_SIZE),
                read(DiffLayout.KSTACK, DiffLayout.KSTACK_SIZE), xmm, x.getInt(ExtendedState.MXCSR), x87(s.extended().xsave()));
    }

    /** FSW, the abridged FTW and the eight registers' 10 bytes each (not FCW/FOP/FIP/FDP). */
    private static byte[] x87(byte[] fx) {
        byte[] out = new byte[3 + 80];
        out[0] = fx[DiffLayout.FSW];
        out[1] = fx[DiffLayout.FSW + 1];
        out[2] = fx[DiffLayout.FTW_ABRIDGED];
        for (int i = 0; i < 8; i++) System.arraycopy(fx, DiffLayout.ST0 + 16 * i, out, 3 + 10 * i, 10);
        return out;
    }

    private byte[] read(long gpa, int len) {
        byte[] b = new byte[len];
        machine.memory().read(gpa, b, 0, len);
        return b;
    }

    @Override
    public void close() { machine.close(); }
}
