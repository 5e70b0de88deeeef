package org.jvirt.daemon.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigTest {
    @TempDir
    Path tmp;

    /**
     * Config files and what libvirtd 9.0 says of each (as seen by feeding them to it). Every file
     * ends in a bad ovs_timeout, the last key libvirtd reads, so a file it otherwise accepts fails
     * there instead of starting a daemon; {@link #libvirtdAgrees} re-checks each against libvirtd.
     */
    private static final String[][] CASES = {
        {"listen_tcp = 2\n", "internal error: @: value for 'listen_tcp' parameter must be 0 or 1"},
        {"listen_tcp = \"1\"\n", "internal error: @: expected a bool for 'listen_tcp' parameter"},
        {"listen_tcp = -0\n", "internal error: @: expected a bool for 'listen_tcp' parameter"},
        {"listen_tcp = +1\n", null},
        {"listen_tcp = 0\nlisten_tcp = 2\n", null},
        {"listen_tcp = 2\nlisten_tcp = 0\n", "internal error: @: value for 'listen_tcp' parameter must be 0 or 1"},
        {"tcp_port = 16509\n", "internal error: @: expected a string for 'tcp_port' parameter"},
        {"foo bar\n", "configuration file syntax error: @:2: expecting an assignment"},
        {"\n\nfoo = \"abc\n", "configuration file syntax error: @:4: unterminated string"},
        {"foo = 'abc\n", "configuration file syntax error: @:2: unterminated string"},
        {"max_clients = -1\n", "internal error: @: expected an unsigned integer for 'max_clients' parameter"},
        {"max_clients = 99999999999\n", "internal error: @: value for 'max_clients' parameter must be in range 0:4294967295"},
        {"max_workers = 0\n", "internal error: 'max_workers' must be greater than 0"},
        {"keepalive_interval = -3\n", null},
        {"keepalive_interval = 99999999999\n",
            "internal error: @: value for 'keepalive_interval' parameter must be in range -2147483648:2147483647"},
        {"keepalive_interval = \"5\"\n", "internal error: @: expected a signed integer for 'keepalive_interval' parameter"},
        {"auth_tcp = \"foo\"\n", "unsupported configuration: @: auth_tcp: unsupported auth foo"},
        {"auth_tcp = \"\"\n", "unsupported configuration: @: auth_tcp: unsupported auth "},
        {"auth_tcp = \"sasl\"\nauth_unix_rw = \"polkit\"\n", null},
        {"tls_allowed_dn_list = \"x\"\n", "internal error: @: expected a string list for 'tls_allowed_dn_list' parameter"},
        {"tls_allowed_dn_list = [ \"x\", 1 ]\n",
            "configuration file syntax error: @: expected a string list for 'tls_allowed_dn_list' parameter"},
        {"tls_allowed_dn_list = [[\"a\"]]\n",
            "configuration file syntax error: @: expected a string list for 'tls_allowed_dn_list' parameter"},
        {"tls_allowed_dn_list = [ \"C=GB,*\",\n  \"CN=b\",\n]\n", null},
        {"tls_allowed_dn_list = []\n", null},
        {"a =\n", "configuration file syntax error: @:2: expecting a value"},
        {"a = [\n", "configuration file syntax error: @:3: expecting a value"},
        {"a = [ \"x\" \"y\" ]\n", "configuration file syntax error: @:2: expecting a separator in list"},
        {"a = [ \"a\", # c\n \"b\" ]\n", "configuration file syntax error: @:2: expecting a value"},
        {"a = [ , ]\n", "configuration file syntax error: @:2: expecting a value"},
        {"1abc = 2\n", "configuration file syntax error: @:2: expecting a name"},
        {"_a = 2\n", "configuration file syntax error: @:2: expecting a name"},
        {"a = 1 b = 2\n", "configuration file syntax error: @:2: expecting a separator"},
        {"a = 12abc\n", "configuration file syntax error: @:2: expecting a separator"},
        {"a = -\n", "configuration file syntax error: @:2: unterminated number"},
        {"a = x\n", "configuration file syntax error: @:2: expecting a value"},
        {"a == 1\n", "configuration file syntax error: @:2: expecting a value"},
        {" = 1\n", "configuration file syntax error: @:2: expecting a name"},
        {"a = 1;;b=2\n", "configuration file syntax error: @:2: expecting a name"},
        {"a = 1 # comment\n  # indented\nb=2;c=3\r\nd_9 = '\"'\n", null},
        {"a = \"\"\"x\ny\"\"\"\nb=[\n1\n,\n2 3]\n", "configuration file syntax error: @:7: expecting a separator in list"},
        {"a = [1, [2, 'x'], -3]\n", null},
        {"log_outputs = [\"1:stderr\"]\n", "internal error: @: expected a string for 'log_outputs' parameter"},
        {"host_uuid = 5\n", "internal error: @: expected a string for 'host_uuid' parameter"},
        {"tcp_min_ssf = 1\n", "unsupported configuration: minimum SSF levels lower than 112 are not supported"},
        {"tcp_min_ssf = [1]\ntls_priority = [1]\n", "internal error: @: expected a string for 'tls_priority' parameter"},
        {"max_workers = [1]\nmin_workers = [1]\n", "internal error: @: expected an unsigned integer for 'min_workers' parameter"},
        {"access_drivers = [1]\n", "configuration file syntax error: @: expected a string list for 'access_drivers' parameter"},
        {"audit_logging = 3\n", "internal error: @: value for 'audit_logging' parameter must be 0 or 1"},
    };

    /** What a file that is fine up to its last line gets from libvirtd: the trailing bad ovs_timeout. */
    private static final String TAIL = "ovs_timeout = \"x\"\n";
    private static final String TAIL_ERROR = "internal error: @: expected an unsigned integer for 'ovs_timeout' parameter";

    private static String text(String body) {
        return "unix_sock_dir = \"/nonexistent/jvirt-test\"\n" + body + TAIL;
    }

    private String jvirtdMessage(Path file, String text) {
        try {
            DaemonConfig.parse(file.toString(), text, DaemonPaths.underRoot(tmp), w -> { });
            return null;
        } catch (ConfigException e) {
            return e.daemonMessage(file.toString());
        }
    }

    private static String expected(Path file, String message) {
        String m = (message == null ? TAIL_ERROR : message).replace("@", file.toString());
        return "Can't load config file: " + m + ": " + file;
    }

    @Test
    void errorsAreWordedAsLibvirtdWordsThem() throws Exception {
        Path file = tmp.resolve("t.conf");
        for (String[] c : CASES) {
            String got = jvirtdMessage(file, text(c[0]));
            assertEquals(expected(file, c[1]), got, "for " + c[0]);
        }
    }

    @Test
    void libvirtdAgrees() throws Exception {
        Assumptions.assumeTrue(Libvirtd.available(), "skipped: no " + Libvirtd.BINARY + " (Debian's libvirt-daemon) to compare with");
        List<String> diffs = new ArrayList<>();
        for (int i = 0; i < CASES.length; i++) {
            Path file = tmp.resolve("case" + i + ".conf");
            Files.writeString(file, text(CASES[i][0]));
            String libvirtd = Libvirtd.firstError(file, tmp);
            String ours = jvirtdMessage(file, text(CASES[i][0]));
            if (!java.util.Objects.equals(libvirtd, ours)) diffs.add(CASES[i][0] + "\n  libvirtd: " + libvirtd + "\n  jvirtd:   " + ours);
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    @Test
    void fileErrorsAreWordedAsLibvirtd() throws Exception {
        Path missing = tmp.resolve("none.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> DaemonConfig.load(missing, DaemonPaths.underRoot(tmp), w -> { }));
        assertEquals("Failed to open file '" + missing + "': No such file or directory", e.getMessage());
        ConfigException d = assertThrows(ConfigException.class, () -> DaemonConfig.load(tmp, DaemonPaths.underRoot(tmp), w -> { }));
        assertEquals("Failed to read file '" + tmp + "': Is a directory", d.getMessage());
        if (Libvirtd.available()) {
            assertEquals(e.daemonMessage(missing.toString()), Libvirtd.firstError(missing, tmp));
            assertEquals(d.daemonMessage(tmp.toString()), Libvirtd.firstError(tmp, tmp));
        }
    }

    @Test
    void blankOnlyFileIsRefusedAsLibvirtRefusesIt() {
        // seen from libvirtd 9.0 by hand (not re-run here: if accepted it would open the system sockets)
        ConfigException e = assertThrows(ConfigException.class, () -> ConfFile.parse("w.conf", "\n\n"));
        assertEquals("configuration file syntax error: w.conf:3: expecting a name", e.getMessage());
        assertDoesNotThrow(() -> ConfFile.parse("e.conf", ""));
        assertDoesNotThrow(() -> ConfFile.parse("c.conf", "# only a comment\n\n"));
    }

    @Test
    void defaultsAreLibvirtdsExceptListenAddrAndUnixAuth() throws Exception {
        DaemonConfig c = DaemonConfig.parse("x.conf", "", DaemonPaths.underRoot(tmp), w -> fail(w));
        assertFalse(c.listenTcp());
        assertTrue(c.listenTls());
        assertEquals("16509", c.tcpPort());
        assertEquals("16514", c.tlsPort());
        assertEquals("127.0.0.1", c.listenAddr());
        assertEquals(Auth.SASL, c.authTcp());
        assertEquals(Auth.NONE, c.authTls());
        assertEquals(Auth.NONE, c.authUnixRo());
        assertEquals(Auth.NONE, c.authUnixRw());
        assertEquals(0777, c.unixSockRoMode());
        assertEquals(0700, c.unixSockRwMode());
        assertNull(c.unixSockGroup());
        assertNull(c.tlsAllowedDnList());
        assertEquals(5000, c.maxClients());
        assertEquals(20, c.maxWorkers());
        assertEquals(5, c.keepaliveInterval());
        assertEquals(5, c.keepaliveCount());
        assertNull(c.logOutputs());
        assertNull(c.hostUuid());
        assertEquals(tmp.resolve("run/libvirt"), c.unixSockDir());
        assertEquals(tmp.resolve("etc/pki/CA/cacert.pem"), c.caFile());
        assertEquals(tmp.resolve("etc/pki/libvirt/servercert.pem"), c.certFile());
        assertEquals(tmp.resolve("etc/pki/libvirt/private/serverkey.pem"), c.keyFile());
        assertEquals(tmp.resolve("log/jvirtd.log"), DaemonPaths.underRoot(tmp).logFile());

        DaemonPaths sys = DaemonPaths.system();
        assertEquals(Path.of("/run/libvirt"), sys.unixSockDir());
        assertEquals(Path.of("/etc/pki/CA/cacert.pem"), sys.caFile());
        assertEquals(Path.of("/etc/pki/libvirt/servercert.pem"), sys.certFile());
        assertEquals(Path.of("/etc/pki/libvirt/private/serverkey.pem"), sys.keyFile());
        DaemonPaths session = DaemonPaths.session(Map.of("HOME", tmp.toString(), "XDG_RUNTIME_DIR", "/run/user/1000"));
        assertEquals(Path.of("/run/user/1000/libvirt"), session.unixSockDir());
    }

    @Test
    void settingsAreRead() throws Exception {
        String text = "listen_tcp = 1\nlisten_tls = 0\ntcp_port = \"16600\"\ntls_port = \"16601\"\n"
                + "listen_addr = \"0.0.0.0\"\nauth_tcp = \"none\"\nunix_sock_dir = \"/tmp/s\"\n"
                + "unix_sock_group = \"libvirt\"\nunix_sock_ro_perms = \"0666\"\nunix_sock_rw_perms = \"0770\"\n"
                + "ca_file = \"/p/ca.pem\"\ncert_file = \"/p/c.pem\"\nkey_file = \"/p/k.pem\"\n"
                + "tls_allowed_dn_list = [\"C=GB,ST=London,L=London,O=Red Hat,CN=*\",\n \"CN=x\"]\n"
                + "max_clients = 10\nmax_workers = 3\nkeepalive_interval = -1\nkeepalive_count = 0\n"
                + "log_outputs = \"3:file:/tmp/l.log 1:stderr\"\nhost_uuid = \"6695eb01-f6a4-8304-79aa-97f2502e193f\"\n";
        DaemonConfig c = DaemonConfig.parse("s.conf", text, DaemonPaths.underRoot(tmp), w -> fail(w));
        assertTrue(c.listenTcp());
        assertFalse(c.listenTls());
        assertEquals("16600", c.tcpPort());
        assertEquals("16601", c.tlsPort());
        assertEquals("0.0.0.0", c.listenAddr());
        assertEquals(Auth.NONE, c.authTcp());
        assertEquals(Path.of("/tmp/s"), c.unixSockDir());
        assertEquals("libvirt", c.unixSockGroup());
        assertEquals(0666, c.unixSockRoMode());
        assertEquals(0770, c.unixSockRwMode());
        assertEquals(Path.of("/p/ca.pem"), c.caFile());
        assertEquals(Path.of("/p/c.pem"), c.certFile());
        assertEquals(Path.of("/p/k.pem"), c.keyFile());
        assertEquals(List.of("C=GB,ST=London,L=London,O=Red Hat,CN=*", "CN=x"), c.tlsAllowedDnList());
        assertEquals(10, c.maxClients());
        assertEquals(3, c.maxWorkers());
        assertEquals(-1, c.keepaliveInterval());
        assertEquals(0, c.keepaliveCount());
        assertEquals("3:file:/tmp/l.log 1:stderr", c.logOutputs());
        assertEquals("6695eb01-f6a4-8304-79aa-97f2502e193f", c.hostUuidValue().toString());
        assertDoesNotThrow(() -> c.requireSupported(true));
    }

    @Test
    void unknownAndUnsupportedKeysWarn() throws Exception {
        List<String> warnings = new ArrayList<>();
        DaemonConfig.parse("w.conf", "bogus_key = 1\nmin_workers = 2\nlisten_tcp = 0\nbogus_key = 2\n",
                DaemonPaths.underRoot(tmp), warnings::add);
        assertEquals(List.of("jvirtd: ignoring unknown setting 'bogus_key' in w.conf",
                "jvirtd: ignoring setting 'min_workers' in w.conf: not supported by jvirtd"), warnings);
    }

    @Test
    void saslAndPolkitAreRefusedWithAClearMessage() throws Exception {
        DaemonConfig dflt = DaemonConfig.parse("d.conf", "listen_tcp = 1\n", DaemonPaths.underRoot(tmp), w -> { });
        assertDoesNotThrow(() -> dflt.requireSupported(false)); // no --listen: no TCP socket, sasl never asked for
        ConfigException e = assertThrows(ConfigException.class, () -> dflt.requireSupported(true));
        assertTrue(e.getMessage().startsWith("unsupported configuration: d.conf: auth_tcp: jvirtd does not support 'sasl'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("auth_tcp = \"none\""), e.getMessage());
        DaemonConfig polkit = DaemonConfig.parse("p.conf", "auth_unix_rw = \"polkit\"\n", DaemonPaths.underRoot(tmp), w -> { });
        ConfigException p = assertThrows(ConfigException.class, () -> polkit.requireSupported(false));
        assertTrue(p.getMessage().contains("auth_unix_rw: jvirtd does not support 'polkit'"), p.getMessage());
    }

    @Test
    void badPermsAndHostUuidAreWordedAsLibvirtd() throws Exception {
        // libvirtd 9.0: "Failed to parse mode 'abc'", "invalid host UUID: nope" (also for the all-zero UUID)
        DaemonConfig c = DaemonConfig.parse("b.conf", "unix_sock_ro_perms = \"abc\"\nunix_sock_rw_perms = \"0799\"\n"
                + "host_uuid = \"nope\"\n", DaemonPaths.underRoot(tmp), w -> { });
        assertEquals("Failed to parse mode 'abc'", assertThrows(ConfigException.class, c::unixSockRoMode).getMessage());
        assertEquals("Failed to parse mode '0799'", assertThrows(ConfigException.class, c::unixSockRwMode).getMessage());
        assertEquals("invalid host UUID: nope", assertThrows(ConfigException.class, c::hostUuidValue).getMessage());
        DaemonConfig z = DaemonConfig.parse("z.conf", "host_uuid = \"00000000-0000-0000-0000-000000000000\"\n",
                DaemonPaths.underRoot(tmp), w -> { });
        assertEquals("invalid host UUID: 00000000-0000-0000-0000-000000000000",
                assertThrows(ConfigException.class, z::hostUuidValue).getMessage());
    }

    @Test
    void migrationListenerKeysAreQemuConfsWithItsChecks() throws Exception {
        List<String> warnings = new ArrayList<>();
        DaemonConfig c = DaemonConfig.parse("m.conf", "migration_address = \"10.1.2.3\"\nmigration_host = \"[fd00::1]\"\n"
                + "migration_port_min = 50000\nmigration_port_max = 50010\n", DaemonPaths.underRoot(tmp), warnings::add);
        assertEquals(new org.jvirt.driver.jvirt.MigrationListen("10.1.2.3", "fd00::1", 50000, 50010), c.migrationListen());
        assertEquals(List.of(), warnings, "known keys");
        assertEquals("jvirt:///embed?root=/r&migration_address=10.1.2.3&migration_host=fd00%3A%3A1&migration_port_min=50000"
                + "&migration_port_max=50010", c.migrationListen().appendTo("jvirt:///embed?root=/r"));
        assertEquals(org.jvirt.driver.jvirt.MigrationListen.DEFAULT, DaemonConfig.defaults(DaemonPaths.underRoot(tmp)).migrationListen());
        assertEquals("jvirt:///system", org.jvirt.driver.jvirt.MigrationListen.DEFAULT.appendTo("jvirt:///system"));
        // qemu.conf's messages (libvirt's qemu_conf.c)
        Map<String, String> bad = Map.of(
                "migration_port_min = 0\n", "internal error: b.conf: migration_port_min: port must be greater than 0",
                "migration_port_min = 50000\nmigration_port_max = 49999\n",
                "internal error: b.conf: migration_port_max: port must be between the minimal port 50000 and 65535",
                "migration_port_max = 70000\n", "internal error: b.conf: migration_port_max: port must be between the minimal port 49152 and 65535",
                "migration_host = \"localhost.localdomain\"\n",
                "configuration file syntax error: migration_host must not be the address of the local machine: localhost.localdomain",
                "migration_address = \"127.0.0.1\"\n",
                "configuration file syntax error: migration_address must not be the address of the local machine: 127.0.0.1",
                "migration_address = 5\n", "internal error: b.conf: expected a string for 'migration_address' parameter");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            ConfigException x = assertThrows(ConfigException.class, () -> DaemonConfig.parse("b.conf", e.getKey(), DaemonPaths.underRoot(tmp), w -> { }),
                    e.getKey());
            assertEquals(e.getValue(), x.getMessage(), e.getKey());
        }
    }
}
