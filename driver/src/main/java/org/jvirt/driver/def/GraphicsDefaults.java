package org.jvirt.driver.def;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.namespace.QName;
import org.jvirt.driver.api.Error;
import org.jvirt.driver.api.LibvirtException;
import org.jvirt.xml.domain.devices.Devices;
import org.jvirt.xml.domain.devices.Graphics;
import org.jvirt.xml.domain.devices.GraphicsListen;
import org.jvirt.xml.domain.devices.Video;
import org.jvirt.xml.domain.devices.VideoModel;

/**
 * libvirt's parse and format of {@code <graphics>} for vnc and spice (virDomainGraphicsDefParseXML,
 * virDomainGraphicsDefFormat) and the implicit video a graphics device brings
 * (virDomainDefAddImplicitVideo): port -1 or no port means autoport, autoport='yes|no' is always
 * written, the listen attribute and the first {@code <listen type='address'>} mirror each
 * other, and the attributes come in libvirt's order. The password is written only with the
 * security info ({@link #hideSecrets}).
 */
public final class GraphicsDefaults {

    private static final List<String> VNC_ORDER = List.of("type", "socket", "port", "autoport", "websocket", "listen", "keymap",
            "sharePolicy", "passwd", "passwdValidTo", "connected");
    private static final List<String> SPICE_ORDER = List.of("type", "port", "tlsPort", "autoport", "listen", "keymap", "defaultMode",
            "passwd", "passwdValidTo", "connected");

    /** virDomainGraphicsType's and virDomainGraphicsVNCSharePolicy's names. */
    private static final List<String> TYPES = List.of("sdl", "vnc", "rdp", "desktop", "spice", "egl-headless", "dbus");
    private static final List<String> SHARE_POLICIES = List.of("allow-exclusive", "force-shared", "ignore");

    private GraphicsDefaults() { }

    private static LibvirtException invalidValue(String attribute, String value) {
        return new LibvirtException(Error.ErrorNumber.VIR_ERR_XML_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                "Invalid value for attribute '" + attribute + "' in element 'graphics': '" + (value == null ? "(null)" : value) + "'.");
    }

    /**
     * passwdValidTo in seconds since the epoch, read as libvirt reads it: six decimal numbers
     * Y-M-DTh:m:s, taken as UTC (a field out of range gives the epoch, as libvirt 9.0's GLib date does).
     */
    public static long validTo(String text) throws LibvirtException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "\\s*([+-]?\\d+)-\\s*([+-]?\\d+)-\\s*([+-]?\\d+)T\\s*([+-]?\\d+):\\s*([+-]?\\d+):\\s*([+-]?\\d+)").matcher(text);
        if (!m.matches()) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_INTERNAL_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "cannot parse password validity time '" + text + "', expect YYYY-MM-DDTHH:MM:SS");
        }
        int[] f = new int[6];
        try {
            for (int i = 0; i < 6; i++) f[i] = Integer.parseInt(m.group(i + 1));
        } catch (NumberFormatException e) {
            throw new LibvirtException(Error.ErrorNumber.VIR_ERR_INTERNAL_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                    "cannot parse password validity time '" + text + "', expect YYYY-MM-DDTHH:MM:SS");
        }
        try {
            if (f[0] < 1 || f[0] > 9999) return 0;
            return java.time.LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5]).toEpochSecond(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return 0; // libvirt 9.0 (g_date_time_new_utc) ends at the epoch for a field out of range
        }
    }

    /** videoModel: the driver's default video model (cirrus for test, vga for QEMU on x86). */
    public static void apply(Devices devices, String videoModel) throws LibvirtException {
        if (devices == null) return;
        List<Graphics> all = devices.getGraphics();
        for (Graphics g : all) {
            String type = g.getType();
            if (type == null || !TYPES.contains(type)) throw invalidValue("type", type);
            if (g.getSharePolicy() != null && !SHARE_POLICIES.contains(g.getSharePolicy())) throw invalidValue("sharePolicy", g.getSharePolicy());
            if (!"vnc".equals(type) && !"spice".equals(type)) continue;
            if (g.getPasswdValidTo() != null) {
                // read and written back as libvirt does (timegm of the fields, then %04d-%02d-%02dT%02d:%02d:%02d)
                g.setPasswdValidTo(java.time.LocalDateTime.ofEpochSecond(validTo(g.getPasswdValidTo()), 0, java.time.ZoneOffset.UTC)
                        .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")));
            }
            normalize(g, type.equals("vnc") ? VNC_ORDER : SPICE_ORDER);
        }
        if (!all.isEmpty() && devices.getVideos().isEmpty()) {
            Video v = new Video();
            VideoModel m = new VideoModel();
            m.setType(videoModel);
            m.setVram("16384");
            m.setHeads("1");
            m.setPrimary("yes");
            v.setModel(m);
            devices.addChild(Video.class, v);
        }
    }

    private static void normalize(Graphics g, List<String> order) throws LibvirtException {
        String port = g.getPort();
        boolean autoport;
        if (port != null) {
            int p;
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw new LibvirtException(Error.ErrorNumber.VIR_ERR_INTERNAL_ERROR, Error.ErrorDomain.VIR_FROM_DOMAIN,
                        "cannot parse " + g.getType() + " port " + port);
            }
            autoport = p == -1 && "vnc".equals(g.getType());
            if (p == -1 && !autoport) p = 0;
            g.setPort(Integer.toString(p));
        } else {
            autoport = true;
            g.setPort(null);
        }
        String a = g.getAutoport();
        if ("yes".equals(a) || "no".equals(a)) autoport = a.equals("yes"); // another word is passed over, as libvirt 9.0 does
        List<GraphicsListen> listens = g.children(GraphicsListen.class);
        boolean socket = !listens.isEmpty() && "socket".equals(listens.get(0).getType());
        if (!socket) {
            // vnc writes port -1 for autoport; spice writes a port only when it has one
            boolean vnc = "vnc".equals(g.getType());
            if (vnc && autoport) g.setPort("-1");
            else if (vnc && g.getPort() == null) g.setPort("0");
            else if (!vnc && (autoport || "0".equals(g.getPort()))) g.setPort(null);
            g.setAutoport(autoport ? "yes" : "no");
            String listen = g.getListen();
            if (listens.isEmpty()) {
                GraphicsListen l = new GraphicsListen();
                l.setType("address");
                if (listen != null) l.setAddress(listen);
                g.addChild(GraphicsListen.class, l);
            } else if (listen == null && "address".equals(listens.get(0).getType()) && listens.get(0).getAddress() != null) {
                g.setListen(listens.get(0).getAddress());
            }
        } else {
            // a socket given by the user shows on <graphics> too (one libvirt made up would not)
            g.setPort(null);
            g.setAutoport(null);
            if (listens.get(0).getSocket() != null) g.setAttribute("socket", listens.get(0).getSocket());
        }
        sortAttributes(g, order);
    }

    private static void sortAttributes(Graphics g, List<String> order) {
        Map<QName, String> attrs = g.attributes();
        Map<QName, String> sorted = new LinkedHashMap<>();
        for (String n : order) if (attrs.containsKey(new QName(n))) sorted.put(new QName(n), attrs.get(new QName(n)));
        for (Map.Entry<QName, String> e : attrs.entrySet()) sorted.putIfAbsent(e.getKey(), e.getValue());
        attrs.clear();
        attrs.putAll(sorted);
    }

    /**
     * Without VIR_DOMAIN_XML_SECURE libvirt leaves out the passwords: removes them and returns
     * what to put back after formatting.
     */
    public static Map<Graphics, String> hideSecrets(Devices devices) {
        Map<Graphics, String> hidden = new LinkedHashMap<>();
        if (devices == null) return hidden;
        for (Graphics g : devices.getGraphics()) {
            if (g.getPasswd() != null) {
                hidden.put(g, g.getPasswd());
                g.setPasswd(null);
            }
        }
        return hidden;
    }

    /** Puts back what {@link #hideSecrets} took, in libvirt's attribute order. */
    public static void restoreSecrets(Map<Graphics, String> hidden) {
        for (Map.Entry<Graphics, String> e : hidden.entrySet()) {
            e.getKey().setPasswd(e.getValue());
            sortAttributes(e.getKey(), "spice".equals(e.getKey().getType()) ? SPICE_ORDER : VNC_ORDER);
        }
    }
}
