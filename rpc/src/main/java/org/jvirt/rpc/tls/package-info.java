/**
 * TLS as libvirt does it, for jvirtd and jvirt's remote client: contexts from libvirt's PKI
 * files ({@link org.jvirt.rpc.tls.TlsContexts}, {@link org.jvirt.rpc.tls.ClientPki}), then, once
 * the handshake is done, libvirt's steps on both sides:
 * <ol>
 * <li>server: {@link org.jvirt.rpc.tls.TlsPeers#checkClient} (certificate present, DN on
 *     tls_allowed_dn_list); on success {@link org.jvirt.rpc.tls.TlsConfirmation#send}; on refusal
 *     close the underlying TCP socket, not the SSLSocket, so the client sees what libvirtd's
 *     clients see ("Unable to read TLS confirmation: Input/output error");
 * <li>client: {@link org.jvirt.rpc.tls.TlsPeers#checkServer} (the server certificate names the
 *     host), then {@link org.jvirt.rpc.tls.TlsConfirmation#await}; RPC frames follow.
 * </ol>
 * The server context sends no TLS 1.3 session tickets: libvirt 9.0's client reads the
 * confirmation byte with a single read and fails if a ticket comes first.
 */
package org.jvirt.rpc.tls;
