package org.jvirt.vmm.devices.fwcfg.smbios;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The user's SMBIOS fields, read from options shaped like QEMU's {@code -smbios type=N,KEY=VALUE,...}
 * (a comma inside a value is written ",,") and QEMU's {@code -uuid}. Later options override
 * earlier ones field by field, type 11's values add up, as QEMU's smbios_entry_add does; a
 * type named at all gets its structure built (types 0 and 2 only then).
 */
public final class SmbiosFields {
    /** The keys QEMU 7.2 accepts per type (its qemu_smbios_typeN_opts). */
    private static final Map<Integer, Set<String>> KEYS = Map.of(
            0, Set.of("vendor", "version", "date", "release", "uefi"),
            1, Set.of("manufacturer", "product", "version", "serial", "uuid", "sku", "family"),
            2, Set.of("manufacturer", "product", "version", "serial", "asset", "location"),
            3, Set.of("manufacturer", "version", "serial", "asset", "sku"),
            4, Set.of("sock_pfx", "manufacturer", "version", "serial", "asset", "part", "max-speed", "current-speed"),
            11, Set.of("value"),
            17, Set.of("loc_pfx", "bank", "manufacturer", "serial", "asset", "part", "speed"));
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    public static final SmbiosFields NONE = new SmbiosFields(Map.of(), List.of(), null);

    private final Map<Integer, Map<String, String>> byType;
    private final List<String> oemStrings;
    private final byte[] uuid;

    private SmbiosFields(Map<Integer, Map<String, String>> byType, List<String> oemStrings, byte[] uuid) {
        this.byType = byType;
        this.oemStrings = oemStrings;
        this.uuid = uuid;
    }

    /** Reads the options; uuid is -uuid's value or null. Errors name the option as QEMU's do. */
    public static SmbiosFields parse(List<String> options, String uuid) {
        Map<Integer, Map<String, String>> byType = new HashMap<>();
        List<String> oem = new ArrayList<>();
        byte[] id = uuid == null ? null : uuid(uuid);
        for (String option : options) {
            List<String[]> pairs = pairs(option);
            if (pairs.isEmpty() || !pairs.get(0)[0].equals("type")) throw new IllegalArgumentException("-smbios '" + option + "': type=N first");
            int type;
            try {
                type = Integer.parseInt(pairs.get(0)[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-smbios '" + option + "': bad type '" + pairs.get(0)[1] + "'");
            }
            Set<String> keys = KEYS.get(type);
            if (keys == null) throw new IllegalArgumentException("-smbios type=" + type + " is not supported (types 0, 1, 2, 3, 4, 11, 17)");
            Map<String, String> fields = byType.computeIfAbsent(type, t -> new LinkedHashMap<>());
            for (String[] kv : pairs.subList(1, pairs.size())) {
                if (!keys.contains(kv[0])) throw new IllegalArgumentException("-smbios type=" + type + ": Invalid parameter '" + kv[0] + "'");
                switch (kv[0]) {
                    case "value" -> oem.add(kv[1]);
                    case "uuid" -> id = uuid(kv[1]);
                    case "release" -> release(kv[1]);
                    case "uefi" -> onOff(kv[1]);
                    case "max-speed", "current-speed", "speed" -> u16(kv[0], kv[1]);
                    default -> { }
                }
                if (!kv[0].equals("value")) fields.put(kv[0], kv[1]);
            }
        }
        return new SmbiosFields(byType, List.copyOf(oem), id);
    }

    /** Splits "a=b,c=d" at single commas; ",," is a comma of the value. */
    private static List<String[]> pairs(String option) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < option.length(); i++) {
            char c = option.charAt(i);
            if (c == ',' && i + 1 < option.length() && option.charAt(i + 1) == ',') {
                cur.append(',');
                i++;
            } else if (c == ',') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        List<String[]> out = new ArrayList<>();
        for (String p : parts) {
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("-smbios '" + option + "': '" + p + "' is not KEY=VALUE");
            out.add(new String[] {p.substring(0, eq), p.substring(eq + 1)});
        }
        return out;
    }

    /** QEMU's wire order is the RFC 4122 byte order; type 1 stores the first three fields little-endian. */
    private static byte[] uuid(String s) {
        if (!UUID.matcher(s).matches()) throw new IllegalArgumentException("Invalid UUID '" + s + "'");
        byte[] b = new byte[16];
        String hex = s.replace("-", "");
        for (int i = 0; i < 16; i++) b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    /** type 0 release "MAJOR.MINOR", two bytes. */
    private static int[] release(String s) {
        String[] p = s.split("\\.", -1);
        try {
            if (p.length == 2) {
                int major = Integer.parseInt(p[0]), minor = Integer.parseInt(p[1]);
                if (major >= 0 && major <= 255 && minor >= 0 && minor <= 255) return new int[] {major, minor};
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("Invalid release '" + s + "' (MAJOR.MINOR, each 0-255)");
    }

    private static boolean onOff(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "on", "yes", "true" -> true;
            case "off", "no", "false" -> false;
            default -> throw new IllegalArgumentException("Parameter 'uefi' expects 'on' or 'off'");
        };
    }

    private static int u16(String key, String s) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 0 && v <= 0xffff) return v;
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("SMBIOS " + key + " '" + s + "' must be 0 to 65535");
    }

    /** Whether the user named this type (its optional structure is then built). */
    boolean has(int type) { return byType.containsKey(type) || type == 11 && !oemStrings.isEmpty(); }

    /** A field's value, else the default (null: none). */
    String get(int type, String key, String fallback) {
        Map<String, String> f = byType.get(type);
        return f != null && f.containsKey(key) ? f.get(key) : fallback;
    }

    int number(int type, String key, int fallback) {
        String v = get(type, key, null);
        return v == null ? fallback : u16(key, v);
    }

    /** type 0's release as {major, minor}, or null. */
    int[] release() {
        String v = get(0, "release", null);
        return v == null ? null : release(v);
    }

    boolean uefi() {
        String v = get(0, "uefi", null);
        return v != null && onOff(v);
    }

    List<String> oemStrings() { return oemStrings; }

    /** The fields by type, the OEM strings and the UUID, for messages and tests. */
    @Override
    public String toString() {
        return new java.util.TreeMap<>(byType) + " oem " + oemStrings + " uuid "
                + (uuid == null ? null : java.util.HexFormat.of().formatHex(uuid));
    }

    /** The UUID in RFC 4122 byte order, or null when none was given. */
    byte[] uuid() { return uuid == null ? null : uuid.clone(); }
}
