package org.jvirt.driver.api;

/** One virNodeCPUStats or virNodeMemoryStats entry: libvirt's field name ("user", "total"...) and value. */
public record NodeStatistic(String field, long value) { }
