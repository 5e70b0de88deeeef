package org.jvirt.vmm.ioevent;

/** An in-process doorbell (a Java monitor): used where no eventfd can be bound to the guest's writes. */
public final class MonitorDoorbell implements Doorbell {
    private boolean rung;

    @Override
    public synchronized void ring() {
        rung = true;
        notifyAll();
    }

    @Override
    public synchronized void await() throws InterruptedException {
        while (!rung) wait();
        rung = false;
    }

    @Override
    public void close() { }
}
