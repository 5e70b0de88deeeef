package org.jvirt.daemon.config;

import java.util.List;

/**
 * One value of a libvirt-style config file. Numbers remember whether they were written with a
 * leading '-' (libvirt's "long" as against "unsigned long"): a negative-looking number is never
 * accepted where libvirt wants an unsigned one or a bool, even "-0".
 */
public sealed interface ConfValue {
    /** An integer; {@code signed} is true when it was written with '-'. Overflow wraps as libvirt's does. */
    record Number(long value, boolean signed) implements ConfValue {}

    /** A quoted string (no escapes: libvirt keeps the characters between the quotes as they are). */
    record Text(String value) implements ConfValue {}

    /** A bracketed list, which may hold any values, lists included. */
    record Items(List<ConfValue> values) implements ConfValue {
        public Items {
            values = List.copyOf(values);
        }
    }
}
