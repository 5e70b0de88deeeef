package org.jvirt.rpc.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time the way libvirt's kbase/tlscerts page makes them: GnuTLS's
 * certtool with template files (a CA, a server certificate for 127.0.0.1/localhost, client
 * certificates with the page's example DN), plus a second CA for foreign clients.
 */
public final class TestPki {
    static final Path CERTTOOL = Path.of("/usr/bin/certtool");
    static final Path OPENSSL = Path.of("/usr/bin/openssl");
    public static final String CLIENT_DN = "C=GB,ST=London,L=London,O=Red Hat,CN=client1";

    public final Path dir;

    TestPki(Path dir) {
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(CERTTOOL);
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    static String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    /** certtool --generate-privkey [extra...] into {@code name}. */
    Path key(String name, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CERTTOOL.toString(), "--generate-privkey", "--outfile", name));
        cmd.addAll(List.of(extra));
        run(dir, cmd.toArray(new String[0]));
        return file(name);
    }

    Path selfSignedCa(String name, String keyName, String cn) throws Exception {
        Files.writeString(file(name + ".info"), "cn = " + cn + "\nca\ncert_signing_key\nexpiration_days = 30\n");
        run(dir, CERTTOOL.toString(), "--generate-self-signed", "--load-privkey", keyName, "--template", name + ".info",
                "--outfile", name);
        return file(name);
    }

    /** A certificate for {@code keyName} signed by the CA, from certtool template lines. */
    Path issue(String name, String keyName, String caCert, String caKey, String template) throws Exception {
        Files.writeString(file(name + ".info"), template + "expiration_days = 30\n");
        run(dir, CERTTOOL.toString(), "--generate-certificate", "--load-privkey", keyName, "--load-ca-certificate", caCert,
                "--load-ca-privkey", caKey, "--template", name + ".info", "--outfile", name);
        return file(name);
    }

    static final String SERVER = "organization = Test Org\ncn = localhost\ndns_name = localhost\nip_address = 127.0.0.1\n"
            + "tls_www_server\nencryption_key\nsigning_key\n";
    static final String CLIENT = "country = GB\nstate = London\nlocality = London\norganization = Red Hat\ncn = client1\n"
            + "tls_www_client\nencryption_key\nsigning_key\n";

    /** CA, server and client (RSA, PKCS#1 as certtool writes it), laid out as libvirt's files and a client pkipath. */
    public static TestPki standard(Path dir) throws Exception {
        TestPki p = new TestPki(dir);
        p.key("cakey.pem");
        p.selfSignedCa("cacert.pem", "cakey.pem", "Test CA");
        p.key("serverkey.pem");
        p.issue("servercert.pem", "serverkey.pem", "cacert.pem", "cakey.pem", SERVER);
        p.key("clientkey.pem");
        p.issue("clientcert.pem", "clientkey.pem", "cacert.pem", "cakey.pem", CLIENT);
        p.key("otherkey.pem");
        p.selfSignedCa("othercacert.pem", "otherkey.pem", "Other CA");
        p.issue("foreigncert.pem", "clientkey.pem", "othercacert.pem", "otherkey.pem", CLIENT);
        Path pki = Files.createDirectories(dir.resolve("client"));
        for (String f : List.of("cacert.pem", "clientcert.pem", "clientkey.pem")) Files.copy(p.file(f), pki.resolve(f));
        return p;
    }
}
