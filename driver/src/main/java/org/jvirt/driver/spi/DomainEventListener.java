package org.jvirt.driver.spi;

/** Receives lifecycle events (virConnectDomainEventCallback): event and detail are libvirt's numbers. */
public interface DomainEventListener {
    void onLifecycle(DomainRef domain, int event, int detail);
}
