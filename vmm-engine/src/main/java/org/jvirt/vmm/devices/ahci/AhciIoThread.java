package org.jvirt.vmm.devices.ahci;

import java.util.Objects;

import org.jvirt.vmm.ioevent.IoWorker;
import org.jvirt.vmm.ioevent.MonitorDoorbell;

/**
 * The AHCI controller's I/O thread: a guest's PxCI (or PxCMD) write rings its doorbell on the
 * vCPU thread and returns; this thread runs the issued commands, moves their data and raises the
 * completion interrupt. {@link #quiesce} (machine pause, state save) returns once no command is
 * in progress and none starts until {@link #resume}; {@link #close} ends the thread.
 */
public final class AhciIoThread implements AutoCloseable {

    private final AhciController controller;
    private final IoWorker worker;

    private AhciIoThread(AhciController controller, IoWorker worker) {
        this.controller = controller;
        this.worker = worker;
    }

    /** Attaches a new I/O thread to controller and starts it. */
    public static AhciIoThread start(AhciController controller, String name) {
        Objects.requireNonNull(controller, "controller");
        MonitorDoorbell bell = new MonitorDoorbell();
        controller.attachIoThread(bell::ring);
        return new AhciIoThread(controller, IoWorker.start(bell, controller::runIssued, name));
    }

    public String threadName() { return worker.threadName(); }

    public boolean isAlive() { return worker.isAlive(); }

    /** No command in progress when this returns, and none starts until {@link #resume}. */
    public void quiesce() throws InterruptedException { worker.quiesce(); }

    /** Lets commands run again, those issued while quiesced included. */
    public void resume() { worker.resume(); }

    public boolean isQuiesced() { return worker.isQuiesced(); }

    /** How many runs ended in an exception (0 unless there is a bug). */
    public int failures() { return worker.failures(); }

    /** Stops the thread after the command in progress. */
    @Override
    public void close() {
        worker.stop();
        controller.detachIoThread();
    }
}
