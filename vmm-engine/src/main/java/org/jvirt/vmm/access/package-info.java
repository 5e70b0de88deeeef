/**
 * Who may reach a VM: unix sockets created owner-only whatever the umask
 * ({@link org.jvirt.vmm.access.PrivateSocket}) and the peer's uid checked on every connection
 * ({@link org.jvirt.vmm.access.PeerCredentials}).
 */
package org.jvirt.vmm.access;
