package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonTypeName;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Wire names of commands and events, read from their {@link JsonTypeName} (spelled nowhere else). */
final class Wire {
    private Wire() { }

    static String nameOf(Class<?> type) {
        JsonTypeName n = type.getAnnotation(JsonTypeName.class);
        if (n == null) throw new IllegalStateException(type + " has no wire name");
        return n.value();
    }

    static <T> Map<String, Class<? extends T>> byName(List<Class<? extends T>> types) {
        Map<String, Class<? extends T>> m = new LinkedHashMap<>();
        for (Class<? extends T> t : types) m.put(nameOf(t), t);
        return Map.copyOf(m);
    }
}
