/**
 * jvirtd: libvirt's daemon side of the remote protocol. Listeners (unix, TCP, TLS) hand
 * connections to a {@code ClientSession}, which reads frames, runs calls on the worker pool
 * through the procedure table and writes replies, events and stream data back; every call goes
 * to the driver API ({@code DriverConnection}) of the URI the client opened.
 */
package org.jvirt.daemon;
