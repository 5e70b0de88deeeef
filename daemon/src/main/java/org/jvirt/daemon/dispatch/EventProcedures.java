package org.jvirt.daemon.dispatch;

import static org.jvirt.rpc.RemoteProcedure.*;

import java.util.Arrays;
import org.jvirt.daemon.session.ClientSession;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainEvent;
import org.jvirt.rpc.RemoteDomain;
import org.jvirt.rpc.XdrWriter;

/**
 * Domain event registration and delivery. Clients that said yes to REMOTE_EVENT_CALLBACK
 * register per (event id, domain) and get MESSAGE 318 with their callback id; older ones
 * register per event id (167) or for lifecycle only (105) and get MESSAGE 107. jvirt's
 * drivers raise lifecycle events; the other event ids register and stay quiet.
 */
final class EventProcedures {
    private EventProcedures() { }

    static final int EVENT_ID_LIFECYCLE = 0;
    /** VIR_DOMAIN_EVENT_ID_LAST in libvirt 9.0 (MEMORY_DEVICE_SIZE_CHANGE is 26). */
    static final int EVENT_ID_LAST = 27;

    static void register(ProcedureTable t) {
        t.add(CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, "virConnectDomainEventRegisterAny", Access.READ, c -> {
            int eventId = c.readInt();
            RemoteDomain filter = c.args.readPresent("dom") ? RemoteDomain.decode(c.args) : null;
            checkEventId(eventId);
            listen(c);
            c.ret.writeInt(c.state.events.add(new EventCallbacks.Registration(eventId, filter, false)));
        });
        t.add(CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, "virConnectDomainEventDeregisterAny", Access.READ, c -> {
            int id = c.readInt();
            if (!c.state.events.remove(id)) {
                throw new RpcFailure(WireErrors.withTemplate(8, WireErrors.VIR_FROM_RPC,
                        "invalid argument: callbackID " + id + " not registered", "invalid argument: %s"));
            }
        });
        t.add(CONNECT_DOMAIN_EVENT_REGISTER_ANY, "virConnectDomainEventRegisterAny", Access.READ, c -> {
            int eventId = c.readInt();
            checkEventId(eventId);
            if (c.state.events.hasLegacy(eventId)) {
                throw new RpcFailure(WireErrors.withTemplate(WireErrors.VIR_ERR_INTERNAL_ERROR, WireErrors.VIR_FROM_RPC,
                        "internal error: domain event " + eventId + " already registered", "internal error: %s"));
            }
            listen(c);
            c.state.events.add(new EventCallbacks.Registration(eventId, null, true));
        });
        t.add(CONNECT_DOMAIN_EVENT_DEREGISTER_ANY, "virConnectDomainEventDeregisterAny", Access.READ, c -> {
            int eventId = c.readInt();
            if (!c.state.events.removeLegacy(eventId)) {
                throw new RpcFailure(WireErrors.withTemplate(WireErrors.VIR_ERR_INTERNAL_ERROR, WireErrors.VIR_FROM_RPC,
                        "internal error: domain event " + eventId + " not registered", "internal error: %s"));
            }
        });
        t.add(CONNECT_DOMAIN_EVENT_REGISTER, "virConnectDomainEventRegister", Access.READ, c -> {
            if (!c.state.events.hasLegacy(EVENT_ID_LIFECYCLE)) {
                listen(c);
                c.state.events.add(new EventCallbacks.Registration(EVENT_ID_LIFECYCLE, null, true));
            }
            c.ret.writeInt(1);
        });
        t.add(CONNECT_DOMAIN_EVENT_DEREGISTER, "virConnectDomainEventDeregister", Access.READ, c -> {
            c.state.events.removeLegacy(EVENT_ID_LIFECYCLE);
            c.ret.writeInt(0);
        });
    }

    private static void checkEventId(int eventId) {
        if (eventId < 0 || eventId >= EVENT_ID_LAST) {
            throw new RpcFailure(WireErrors.withTemplate(WireErrors.VIR_ERR_INTERNAL_ERROR, WireErrors.VIR_FROM_RPC,
                    "internal error: unsupported event ID " + eventId, "internal error: %s"));
        }
    }

    private static void listen(Call c) throws org.jvirt.driver.api.LibvirtException {
        ClientSession session = c.session;
        EventCallbacks events = c.state.events;
        events.listen(c.conn(), (dom, ev) -> {
            deliver(session, events, dom, ev);
            return 0;
        });
    }

    private static void deliver(ClientSession session, EventCallbacks events, Domain dom, DomainEvent ev) {
        RemoteDomain wire = Call.toWire(dom.ref());
        for (var e : events.all().entrySet()) {
            EventCallbacks.Registration r = e.getValue();
            if (r.eventId() != EVENT_ID_LIFECYCLE) continue;
            if (r.filter() != null && !Arrays.equals(r.filter().uuid(), wire.uuid())) continue;
            XdrWriter w = new XdrWriter();
            if (r.legacy()) {
                wire.encode(w);
                w.writeInt(ev.type().ordinal()).writeInt(ev.detail());
                session.message(DOMAIN_EVENT_LIFECYCLE, w);
            } else {
                w.writeInt(e.getKey());
                wire.encode(w);
                w.writeInt(ev.type().ordinal()).writeInt(ev.detail());
                session.message(DOMAIN_EVENT_CALLBACK_LIFECYCLE, w);
            }
        }
    }
}
