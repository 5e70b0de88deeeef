package org.jvirt.driver.api;

/** Lifecycle events of domains (libvirt-java's org.libvirt.event.LifecycleListener). */
@FunctionalInterface
public interface LifecycleListener {
    /** Returns 0, as libvirt-java's callbacks do. */
    int onLifecycleChange(Domain domain, DomainEvent event);
}
