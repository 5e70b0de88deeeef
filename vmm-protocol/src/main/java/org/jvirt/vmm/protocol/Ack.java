package org.jvirt.vmm.protocol;

/** The empty "return" ({}) of a command that has nothing to say but that it was done. */
public record Ack() { }
