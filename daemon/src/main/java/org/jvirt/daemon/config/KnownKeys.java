package org.jvirt.daemon.config;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/** Which keys jvirtd acts on, which libvirtd 9.0 knows besides, and the warnings for the rest. */
final class KnownKeys {
    /** The keys jvirtd uses, with libvirtd's meanings (the migration_* ones with qemu.conf's). */
    static final Set<String> USED = Set.of("listen_tcp", "listen_tls", "tcp_port", "tls_port", "listen_addr",
            "auth_tcp", "auth_tls", "auth_unix_ro", "auth_unix_rw", "unix_sock_dir", "unix_sock_group",
            "unix_sock_ro_perms", "unix_sock_rw_perms", "ca_file", "cert_file", "key_file", "tls_allowed_dn_list",
            "max_clients", "max_workers", "keepalive_interval", "keepalive_count", "log_outputs", "host_uuid",
            "migration_address", "migration_host", "migration_port_min", "migration_port_max");

    /** Keys libvirtd 9.0 reads (type-checked the same way) that jvirtd does not act on. */
    static final Set<String> LIBVIRTD_ONLY = Set.of("access_drivers", "unix_sock_admin_perms",
            "tls_no_sanity_certificate", "tls_no_verify_certificate", "crl_file", "tls_priority", "tcp_min_ssf",
            "sasl_allowed_username_list", "min_workers", "max_queued_clients", "max_anonymous_clients",
            "prio_workers", "max_client_requests", "admin_min_workers", "admin_max_workers", "admin_max_clients",
            "admin_max_queued_clients", "admin_max_client_requests", "audit_level", "audit_logging",
            "host_uuid_source", "log_level", "log_filters", "admin_keepalive_interval", "admin_keepalive_count",
            "ovs_timeout");

    private KnownKeys() {
    }

    /** One warning per key that has no effect in jvirtd, in file order. */
    static void warnIgnored(ConfFile conf, Consumer<String> warnings) {
        for (String key : new LinkedHashSet<>(conf.names())) {
            if (USED.contains(key)) continue;
            if (LIBVIRTD_ONLY.contains(key)) {
                warnings.accept("jvirtd: ignoring setting '" + key + "' in " + conf.file() + ": not supported by jvirtd");
            } else {
                warnings.accept("jvirtd: ignoring unknown setting '" + key + "' in " + conf.file());
            }
        }
    }
}
