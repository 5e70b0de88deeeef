package org.jvirt.driver.api;

/** virSecurityLabel: an empty label means none. */
public record SecurityLabel(String label, boolean enforcing) { }
