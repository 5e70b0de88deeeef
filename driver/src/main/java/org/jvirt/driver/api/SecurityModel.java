package org.jvirt.driver.api;

/** virSecurityModel. */
public record SecurityModel(String model, String doi) { }
