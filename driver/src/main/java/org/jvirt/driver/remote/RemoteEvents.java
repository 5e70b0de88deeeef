package org.jvirt.driver.remote;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.spi.DomainEventListener;
import org.jvirt.driver.spi.DomainRef;
import org.jvirt.rpc.Frame;
import org.jvirt.rpc.RemoteProcedure;
import org.jvirt.rpc.XdrException;
import org.jvirt.rpc.XdrReader;
import org.jvirt.rpc.XdrWriter;

/**
 * Lifecycle events over the connection (spec §8): one CALLBACK_REGISTER_ANY (316) per
 * listener, events as MESSAGE frames of 318 carrying the callback id. Listeners run on a
 * thread of their own, never on the reader thread: a listener that calls the daemon would
 * otherwise wait for a reply only the reader can deliver.
 */
final class RemoteEvents {
    /** VIR_DOMAIN_EVENT_ID_LIFECYCLE. */
    private static final int LIFECYCLE = 0;

    private final RpcClient rpc;
    private final Map<Integer, DomainEventListener> byCallback = new ConcurrentHashMap<>();
    private volatile ExecutorService delivery;
    private final Object registering = new Object();

    RemoteEvents(RpcClient rpc) {
        this.rpc = rpc;
        rpc.onEvent(this::onMessage);
    }

    /**
     * Registers l. An event may arrive before the reply that tells its callback id; delivery
     * waits on this lock, so such an event finds its listener.
     */
    void add(DomainEventListener l) throws LibvirtException {
        synchronized (registering) {
            synchronized (this) {
                if (delivery == null) {
                    delivery = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "jvirt-remote-events");
                        t.setDaemon(true);
                        return t;
                    });
                }
            }
            XdrWriter args = new XdrWriter().writeInt(LIFECYCLE).writeInt(0); // every domain: no filter
            int id = rpc.call(RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, args, r -> r.readInt());
            byCallback.put(id, l);
        }
    }

    void remove(DomainEventListener l) {
        for (Map.Entry<Integer, DomainEventListener> e : byCallback.entrySet()) {
            if (e.getValue() != l) continue;
            byCallback.remove(e.getKey());
            if (!rpc.isOpen()) continue;
            try {
                rpc.call(RemoteProcedure.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, new XdrWriter().writeInt(e.getKey()), ReplyDecoder.NONE);
            } catch (LibvirtException ignored) {
                // the listener is gone on our side, which is what the caller asked for
            }
        }
    }

    private void onMessage(Frame f) {
        if (f.header().procedure() != RemoteProcedure.DOMAIN_EVENT_CALLBACK_LIFECYCLE) return;
        XdrReader r = f.reader();
        int callback;
        DomainRef dom;
        int event;
        int detail;
        try {
            callback = r.readInt();
            dom = WireTypes.readDomain(r);
            event = r.readInt();
            detail = r.readInt();
        } catch (XdrException e) {
            return; // a malformed event is dropped, as libvirt's client does
        }
        ExecutorService out = delivery;
        if (out == null) return;
        try {
            out.execute(() -> {
                DomainEventListener l;
                synchronized (registering) {
                    l = byCallback.get(callback);
                }
                if (l != null) l.onLifecycle(dom, event, detail);
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the connection is closing: no one listens any more
        }
    }

    void close() {
        ExecutorService out = delivery;
        if (out != null) out.shutdown();
    }
}
