package org.jvirt.virsh.commands;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.driver.api.Stream;
import org.jvirt.driver.keycode.Keycodes;
import org.jvirt.virsh.shell.Catalogue;
import org.jvirt.virsh.shell.Cmd;
import org.jvirt.virsh.shell.CmdDef;
import org.jvirt.virsh.shell.Vsh;
import org.w3c.dom.Document;

/**
 * virsh's display commands (virsh-domain.c): vncdisplay and domdisplay read the live XML as
 * cmdVNCDisplay and cmdDomDisplay do; screenshot (cmdScreenshot) saves virDomainScreenshot's
 * stream, under a name made from the domain and the time when none is given; send-key
 * (cmdSendKey) reads numbers or the codeset's key names.
 */
final class DisplayCommands {

    private DisplayCommands() { }

    static List<CmdDef> all() {
        return List.of(Catalogue.command("vncdisplay", DisplayCommands::vncdisplay),
                Catalogue.command("domdisplay", DisplayCommands::domdisplay),
                Catalogue.command("screenshot", DisplayCommands::screenshot),
                Catalogue.command("send-key", DisplayCommands::sendKey));
    }

    /** cmdDomDisplay's schemes, in its order. */
    private static final List<String> SCHEMES = List.of("vnc", "spice", "rdp", "dbus");

    private static boolean vncdisplay(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        if (d.isActive() != 1) {
            vsh.error("Domain is not running");
            return false;
        }
        Live xml = liveXml(vsh, d, 0);
        if (xml == null) return false;
        Integer port = xml.integer("string(/domain/devices/graphics[@type='vnc']/@port)");
        if (port == null) {
            vsh.error("Failed to get VNC port. Is this domain using VNC?");
            return false;
        }
        String listen = xml.string("string(/domain/devices/graphics[@type='vnc']/@listen)");
        if (listen == null) listen = xml.string("string(/domain/devices/graphics[@type='vnc']/listen/@address)");
        vsh.print((listen == null || listen.equals("0.0.0.0") ? "" : listen) + ":" + (port - 5900) + "\n");
        return true;
    }

    private static boolean domdisplay(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        if (d.isActive() != 1) {
            vsh.error("Domain is not running");
            return false;
        }
        String type;
        try {
            type = Options.string(vsh, cmd, "type");
        } catch (Options.Invalid e) {
            return false;
        }
        boolean all = cmd.flag("all");
        Live xml = liveXml(vsh, d, cmd.flag("include-password") ? Flags.DomainXml.SECURE : 0);
        if (xml == null) return false;
        boolean output = false;
        for (String scheme : SCHEMES) {
            if (type != null && !type.equals(scheme)) continue;
            String g = "string(/domain/devices/graphics[@type='" + scheme + "']/";
            Integer p = xml.integer(g + "@port)");
            int port = p == null ? 0 : p;
            Integer tp = xml.integer(g + "@tlsPort)");
            int tlsPort = tp == null ? 0 : tp;
            String listen = xml.string(g + "@listen)");
            String sockpath = "socket".equals(xml.string(g + "listen/@type)")) ? xml.string(g + "listen/@socket)") : null;
            if (port == 0 && tlsPort == 0 && sockpath == null) continue;
            if (listen == null) listen = xml.string(g + "listen/@address)");
            else if (wildcard(listen)) listen = host(vsh);
            String passwd = xml.string(g + "@passwd)");
            StringBuilder b = new StringBuilder(scheme).append(sockpath != null ? "+unix://" : "://");
            if (scheme.equals("vnc") && passwd != null) b.append(':').append(passwd).append('@');
            if (listen == null && sockpath == null) b.append("localhost");
            else if (sockpath != null) b.append(sockpath);
            else if (listen.contains(":")) b.append('[').append(listen).append(']');
            else b.append(listen);
            if (port != 0) b.append(':').append(scheme.equals("vnc") ? port - 5900 : port);
            if (tlsPort != 0) b.append("?tls-port=").append(tlsPort);
            if (scheme.equals("spice") && passwd != null) b.append(tlsPort != 0 ? "&" : "?").append("password=").append(passwd);
            vsh.print(b + (all ? "\n" : ""));
            output = true;
            if (!all) break;
        }
        if (!output) vsh.error(type != null ? "No graphical display with type '" + type + "' found" : "No graphical display found");
        return output;
    }

    /** virshDomainGetXMLFromDom: the XML, or null after virsh's message. */
    private static Live liveXml(Vsh vsh, Domain d, int flags) throws LibvirtException {
        try {
            return new Live(d.getXMLDesc(flags));
        } catch (LibvirtException e) {
            vsh.fail("Failed to get domain description xml", e);
            return null;
        }
    }

    /** 0.0.0.0 or :: (virSocketAddrIsWildcard). */
    private static boolean wildcard(String listen) {
        if (listen.equals("0.0.0.0")) return true;
        if (!listen.contains(":")) return false;
        try {
            return java.net.InetAddress.getByName(listen).isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** The connection URI's host, else localhost: where a client reaches a display listening everywhere. */
    private static String host(Vsh vsh) throws LibvirtException {
        try {
            String server = new URI(vsh.conn().getURI()).getHost();
            return server == null || server.isEmpty() ? "localhost" : server;
        } catch (java.net.URISyntaxException e) {
            return "localhost";
        }
    }

    private static boolean screenshot(Vsh vsh, Cmd cmd) throws LibvirtException {
        String file;
        long screen;
        try {
            file = Options.string(vsh, cmd, "file");
            screen = MigrationCommands.unsignedInt(vsh, cmd, "screen");
        } catch (Options.Invalid e) {
            return false;
        }
        Domain d = vsh.domain(cmd, "domain");
        Stream st = vsh.conn().streamNew(0);
        String mime;
        try {
            mime = d.screenshot(st, (int) screen, 0);
        } catch (LibvirtException e) {
            return vsh.fail("could not take a screenshot of " + cmd.get("domain"), e);
        }
        if (file == null) file = generatedName(d.getName(), mime);
        Path path = vsh.path(file);
        OutputStream out;
        boolean created = false;
        try {
            try {
                out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                created = true;
            } catch (FileAlreadyExistsException e) {
                out = Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException e) {
            st.abort();
            vsh.error("cannot create file " + file);
            return false;
        }
        boolean ok = false;
        try (InputStream in = st.getInputStream(); OutputStream o = out) {
            in.transferTo(o);
            ok = true;
        } catch (IOException e) {
            vsh.error("could not receive data from domain " + cmd.get("domain"));
        } finally {
            if (!ok && created) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // as virsh's unlink: nothing more to say
                }
            }
        }
        if (!ok) return false;
        vsh.printExtra("Screenshot saved to " + file + ", with type of " + mime);
        return true;
    }

    /** virshGenFileName: NAME-YYYY-MM-DD-HH:MM:SS with the extension of the MIME type. */
    static String generatedName(String name, String mime) {
        String ext = switch (mime == null ? "" : mime) {
            case "image/x-portable-pixmap" -> ".ppm";
            case "image/png" -> ".png";
            default -> "";
        };
        return name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HH:mm:ss")) + ext;
    }

    private static boolean sendKey(Vsh vsh, Cmd cmd) throws LibvirtException {
        Domain d = vsh.domain(cmd, "domain");
        String codesetName;
        long holdtime;
        try {
            codesetName = Options.string(vsh, cmd, "codeset");
            holdtime = MigrationCommands.unsignedInt(vsh, cmd, "holdtime");
        } catch (Options.Invalid e) {
            return false;
        }
        if (codesetName == null) codesetName = "linux";
        if (codesetName.equals("rfb")) codesetName = "qnum"; // the old name of qnum, still taken
        int codeset = Keycodes.codesetFromString(codesetName);
        if (codeset < 0) {
            vsh.error("unknown codeset: '" + codesetName + "'");
            return false;
        }
        List<Integer> keys = new ArrayList<>();
        for (String word : cmd.argv()) {
            if (keys.size() == Keycodes.MAX_KEYS) {
                vsh.error("too many keycodes");
                return false;
            }
            int k = number(word);
            if (k < 0) k = Keycodes.valueFromString(codeset, word);
            if (k < 0) {
                vsh.error("invalid keycode: '" + word + "'");
                return false;
            }
            keys.add(k);
        }
        d.sendKey(codeset, (int) holdtime, keys.stream().mapToInt(Integer::intValue).toArray(), 0);
        return true;
    }

    /** virshKeyCodeGetInt: a number in C's bases (virStrToLong_uip, base 0) up to 0xffff, else -1. */
    static int number(String s) {
        String t = s.stripLeading();
        if (t.startsWith("+")) t = t.substring(1);
        if (t.isEmpty() || t.startsWith("-") || t.startsWith("+")) return -1;
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) v = Long.parseLong(t.substring(2), 16);
            else if (t.length() > 1 && t.startsWith("0")) v = Long.parseLong(t.substring(1), 8);
            else v = Long.parseLong(t, 10);
            return v > 0xffff ? -1 : (int) v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The live XML with XPath string lookups as virXPathString and virXPathInt make them. */
    private static final class Live {
        private final Document doc;
        private final XPath xpath = XPathFactory.newInstance().newXPath();

        Live(String xml) throws LibvirtException {
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(true);
                doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new LibvirtException(org.jvirt.driver.api.Error.ErrorNumber.VIR_ERR_XML_ERROR,
                        org.jvirt.driver.api.Error.ErrorDomain.VIR_FROM_NONE, e.getMessage());
            }
        }

        /** virXPathString: null for an empty result. */
        String string(String expr) {
            try {
                String s = xpath.evaluate(expr, doc);
                return s == null || s.isEmpty() ? null : s;
            } catch (XPathExpressionException e) {
                return null;
            }
        }

        /** virXPathInt: null when the string is empty or not a whole number. */
        Integer integer(String expr) {
            String s = string(expr);
            if (s == null) return null;
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
