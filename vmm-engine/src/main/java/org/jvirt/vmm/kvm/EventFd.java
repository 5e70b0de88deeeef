package org.jvirt.vmm.kvm;

import org.jvirt.vmm.ioevent.Doorbell;

/**
 * An eventfd(2) as a {@link Doorbell}: KVM_IOEVENTFD signals it from inside the kernel, so a
 * guest's notify write wakes the waiting thread without a vCPU exit. Blocking mode: await sleeps
 * in read(2). The 8-byte counter buffers are allocated once, so ring and await allocate nothing.
 */
public final class EventFd extends Fd implements Doorbell {
    private final NativeBuffer one = NativeBuffer.allocate(8);
    private final NativeBuffer counter = NativeBuffer.allocate(8);

    private EventFd(int fd) {
        super(fd);
        one.buffer().putLong(0, 1L); // written by every ring, never changed: rings from many threads are safe
    }

    public static EventFd create() {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        if (fd < 0) throw new KvmException("eventfd", LibC.errno());
        return new EventFd(fd);
    }

    @Override
    public void ring() {
        LibC.write(fd, one.address(), 8); // fails only when the counter would overflow: it is rung anyway
    }

    @Override
    public void await() throws InterruptedException {
        while (LibC.read(fd, counter.address(), 8) != 8) {
            if (LibC.errno() != 4) throw new KvmException("read(eventfd)", LibC.errno()); // 4 = EINTR: retry
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }

    @Override
    public void close() {
        super.close();
        one.close();
        counter.close();
    }
}
