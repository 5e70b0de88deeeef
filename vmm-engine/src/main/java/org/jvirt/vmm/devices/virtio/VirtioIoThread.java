package org.jvirt.vmm.devices.virtio;

import java.util.Objects;

import org.jvirt.vmm.ioevent.Doorbell;
import org.jvirt.vmm.ioevent.IoEvents;
import org.jvirt.vmm.ioevent.IoWorker;
import org.jvirt.vmm.ioevent.MonitorDoorbell;

/**
 * A virtio device's own I/O thread: the guest's queue notify rings its doorbell (an eventfd bound
 * with KVM_IOEVENTFD, so the vCPU does not even exit, or in-process from the MMIO handler) and
 * this thread drains the queues, performs the requests and raises the completion interrupt; a
 * vCPU never waits for a request. {@link #quiesce} (machine pause, state save) returns once no
 * request is in progress and none starts until {@link #resume}; {@link #close} ends the thread.
 */
public final class VirtioIoThread implements AutoCloseable {

    private final VirtioPciDevice device;
    private final Doorbell bell;
    private final IoWorker worker;

    private VirtioIoThread(VirtioPciDevice device, Doorbell bell, String name) {
        this.device = device;
        this.bell = bell;
        this.worker = IoWorker.start(bell, device::processAllQueues, name);
        device.attachWorker(worker);
    }

    /**
     * Attaches a new I/O thread to device and starts it. With events (the accelerator's, may be
     * null) the notify registers are bound to an eventfd while the driver runs.
     */
    public static VirtioIoThread start(VirtioPciDevice device, IoEvents events, String name) {
        Objects.requireNonNull(device, "device");
        Doorbell bell = events != null ? events.newDoorbell() : new MonitorDoorbell();
        device.attachIoThread(bell, events);
        return new VirtioIoThread(device, bell, name);
    }

    public String threadName() { return worker.threadName(); }

    public boolean isAlive() { return worker.isAlive(); }

    public VirtioPciDevice device() { return device; }

    /** No request in progress when this returns, and none starts until {@link #resume}. */
    public void quiesce() throws InterruptedException { worker.quiesce(); }

    /** Lets requests run again; notifies that came while quiesced are processed now. */
    public void resume() { worker.resume(); }

    public boolean isQuiesced() { return worker.isQuiesced(); }

    /** Stops the thread (after the request in progress), unbinds the notify registers, frees the doorbell. */
    @Override
    public void close() {
        boolean ended = worker.stop();
        device.detachIoThread();
        if (ended) bell.close(); // never close an fd a live thread may still read
    }
}
