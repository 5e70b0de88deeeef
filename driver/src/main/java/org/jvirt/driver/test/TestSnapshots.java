package org.jvirt.driver.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A domain's snapshots (virDomainSnapshotObjList): by name, with the current one. */
final class TestSnapshots {

    private final Map<String, TestSnapshot> byName = new LinkedHashMap<>();
    private String current;

    TestSnapshot get(String name) {
        return byName.get(name);
    }

    void add(TestSnapshot s) {
        byName.put(s.name, s);
    }

    void remove(String name) {
        byName.remove(name);
    }

    List<TestSnapshot> all() {
        return new ArrayList<>(byName.values());
    }

    int size() {
        return byName.size();
    }

    TestSnapshot current() {
        return current == null ? null : byName.get(current);
    }

    void setCurrent(String name) {
        current = name;
    }

    List<TestSnapshot> children(String parent) {
        List<TestSnapshot> out = new ArrayList<>();
        for (TestSnapshot s : byName.values()) if (parent.equals(s.parent)) out.add(s);
        return out;
    }

    int descendants(String name) {
        int n = 0;
        for (TestSnapshot c : children(name)) n += 1 + descendants(c.name);
        return n;
    }
}
