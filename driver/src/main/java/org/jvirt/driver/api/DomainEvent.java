package org.jvirt.driver.api;

/** A lifecycle event (virDomainEventType) with its detail number (virDomainEvent*DetailType). */
public record DomainEvent(Type type, int detail) {

    /** virDomainEventType, ordinal = libvirt's number. */
    public enum Type { DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED, STOPPED, SHUTDOWN, PMSUSPENDED, CRASHED }
}
