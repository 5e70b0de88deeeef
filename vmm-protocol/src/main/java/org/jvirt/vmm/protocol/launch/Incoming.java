package org.jvirt.vmm.protocol.launch;

/** A migration address, "tcp:HOST:PORT" (HOST may be [IPv6]), as QEMU's -incoming and migrate URIs spell it. */
public record Incoming(String host, int port) {

    /** The address in s, or a usage error naming what is wrong. */
    public static Incoming parse(String s) throws LaunchSpec.UsageException {
        if (s == null || !s.startsWith("tcp:")) throw new LaunchSpec.UsageException("bad migration address '" + s + "' (tcp:HOST:PORT)");
        String rest = s.substring(4);
        int colon = rest.lastIndexOf(':');
        if (colon <= 0) throw new LaunchSpec.UsageException("bad migration address '" + s + "' (tcp:HOST:PORT)");
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            int port = Integer.parseInt(rest.substring(colon + 1));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return new Incoming(host, port);
        } catch (NumberFormatException e) {
            throw new LaunchSpec.UsageException("bad port in migration address '" + s + "'");
        }
    }

    /** s when it parses (the launch keeps the spelling). */
    static String check(String s) throws LaunchSpec.UsageException {
        parse(s);
        return s;
    }
}
