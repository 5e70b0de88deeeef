package org.jvirt.driver.jvirt;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where this host's VMMs wait for incoming migrations, as qemu.conf's keys say it (jvirtd.conf
 * carries them and passes them to the driver as query parameters of its system URI):
 * {@code migration_address} the address the incoming VMM listens on (null: every address, 0.0.0.0),
 * {@code migration_host} the name or address the source is told to connect to (null: the listen
 * address when it is a specific one, else this host's name), and the port range
 * {@code migration_port_min}..{@code migration_port_max} (libvirt's 49152..49215). A
 * {@code --listen-address} given to a migration overrides migration_address for that one.
 */
public record MigrationListen(String address, String host, int portMin, int portMax) {

    public static final int PORT_MIN = 49152, PORT_MAX = 49215;
    public static final MigrationListen DEFAULT = new MigrationListen(null, null, PORT_MIN, PORT_MAX);

    private static final String[] KEYS = {"migration_address", "migration_host", "migration_port_min", "migration_port_max"};

    /** URI with these settings added as query parameters (only those that differ from the defaults). */
    public String appendTo(String uri) {
        StringBuilder q = new StringBuilder();
        String[] values = {address, host, portMin == PORT_MIN ? null : Integer.toString(portMin), portMax == PORT_MAX ? null : Integer.toString(portMax)};
        for (int i = 0; i < KEYS.length; i++) {
            if (values[i] == null) continue;
            q.append(q.length() == 0 && !uri.contains("?") ? '?' : '&').append(KEYS[i]).append('=')
                    .append(URLEncoder.encode(values[i], StandardCharsets.UTF_8));
        }
        return uri + q;
    }

    /** The settings a driver URI carries (the defaults for those it does not). */
    static MigrationListen of(URI uri) {
        String[] values = new String[KEYS.length];
        String query = uri.getRawQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                int eq = part.indexOf('=');
                if (eq < 0) continue;
                for (int i = 0; i < KEYS.length; i++) {
                    if (part.substring(0, eq).equals(KEYS[i])) values[i] = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
        }
        return new MigrationListen(values[0], values[1], port(values[2], PORT_MIN), port(values[3], PORT_MAX));
    }

    private static int port(String v, int dflt) {
        try {
            return v == null ? dflt : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
