package org.jvirt.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed config file with libvirt's typed getters (virConfGetValueBool, ...UInt, ...Int,
 * ...String, ...StringList): each returns empty when the name is absent and refuses a value of
 * the wrong type or range with libvirt's message.
 */
public final class ConfFile {
    private static final String INTERNAL = "internal error: ";

    private final String file;
    private final Map<String, ConfValue> values;
    private final List<String> names;

    ConfFile(String file, Map<String, ConfValue> values, List<String> names) {
        this.file = file;
        this.values = Map.copyOf(values);
        this.names = List.copyOf(names);
    }

    /** Parses config text; {@code file} is the name errors give (the path as the user wrote it). */
    public static ConfFile parse(String file, String text) throws ConfigException {
        return ConfParser.parse(file, text);
    }

    public String file() {
        return file;
    }

    /** Every name set in the file, in file order (repeats included). */
    public List<String> names() {
        return names;
    }

    /** The raw value of a name: its first assignment, as libvirt takes it. */
    public Optional<ConfValue> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    private ConfigException internal(String what, String name) {
        return new ConfigException(INTERNAL + file + ": " + what + " for '" + name + "' parameter");
    }

    public Optional<Boolean> getBool(String name) throws ConfigException {
        ConfValue v = values.get(name);
        if (v == null) return Optional.empty();
        if (!(v instanceof ConfValue.Number n) || n.signed()) throw internal("expected a bool", name);
        if (Long.compareUnsigned(n.value(), 1) > 0) {
            throw new ConfigException(INTERNAL + file + ": value for '" + name + "' parameter must be 0 or 1");
        }
        return Optional.of(n.value() == 1);
    }

    /** An unsigned int (0..4294967295), returned in a long. */
    public Optional<Long> getUInt(String name) throws ConfigException {
        ConfValue v = values.get(name);
        if (v == null) return Optional.empty();
        if (!(v instanceof ConfValue.Number n) || n.signed()) throw internal("expected an unsigned integer", name);
        if (Long.compareUnsigned(n.value(), 0xFFFF_FFFFL) > 0) {
            throw new ConfigException(INTERNAL + file + ": value for '" + name + "' parameter must be in range 0:4294967295");
        }
        return Optional.of(n.value());
    }

    public Optional<Integer> getInt(String name) throws ConfigException {
        ConfValue v = values.get(name);
        if (v == null) return Optional.empty();
        if (!(v instanceof ConfValue.Number n)) throw internal("expected a signed integer", name);
        // libvirt compares the long long it holds, so an unsigned value past LLONG_MAX reads negative
        if (n.value() > Integer.MAX_VALUE || n.value() < Integer.MIN_VALUE) {
            throw new ConfigException(INTERNAL + file + ": value for '" + name
                    + "' parameter must be in range -2147483648:2147483647");
        }
        return Optional.of((int) n.value());
    }

    public Optional<String> getString(String name) throws ConfigException {
        ConfValue v = values.get(name);
        if (v == null) return Optional.empty();
        if (!(v instanceof ConfValue.Text t)) throw internal("expected a string", name);
        return Optional.of(t.value());
    }

    /** A list of strings (a lone string is refused, as libvirtd reads its lists). */
    public Optional<List<String>> getStringList(String name) throws ConfigException {
        ConfValue v = values.get(name);
        if (v == null) return Optional.empty();
        if (!(v instanceof ConfValue.Items items)) throw internal("expected a string list", name);
        List<String> out = new ArrayList<>();
        for (ConfValue item : items.values()) {
            if (!(item instanceof ConfValue.Text t)) {
                // libvirt reports a non-string item as a syntax error, unlike the other type errors
                throw new ConfigException(ConfParser.SYNTAX + file + ": expected a string list for '" + name + "' parameter");
            }
            out.add(t.value());
        }
        return Optional.of(List.copyOf(out));
    }
}
