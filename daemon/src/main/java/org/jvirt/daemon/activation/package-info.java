/**
 * systemd socket activation (sd_listen_fds' protocol: LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES,
 * the sockets from fd 3 on) and readiness (sd_notify's READY=1 to NOTIFY_SOCKET), as libvirtd's
 * units use them: jvirtd.socket, jvirtd-ro.socket, jvirtd-tcp.socket name the listeners.
 */
package org.jvirt.daemon.activation;
