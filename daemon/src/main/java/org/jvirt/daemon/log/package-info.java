/**
 * jvirtd's log: libvirt's log_outputs syntax ({@link org.jvirt.daemon.log.LogOutputs}), libvirtd's
 * line format ({@link org.jvirt.daemon.log.LogLine}) and the writer ({@link org.jvirt.daemon.log.DaemonLog}).
 */
package org.jvirt.daemon.log;
