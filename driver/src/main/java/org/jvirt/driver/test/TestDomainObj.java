package org.jvirt.driver.test;

import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.def.DomainDefinition;
import org.jvirt.driver.spi.DomainRef;

/** One domain of the test driver (virDomainObj): definitions, state, flags and snapshots. */
final class TestDomainObj {

    /** The live definition while running, the only one while shut off. */
    DomainDefinition def;
    /** The persistent definition while a persistent domain runs (virDomainObj.newDef). */
    DomainDefinition newDef;
    int id = -1;
    DomainStateReason state;
    boolean persistent;
    boolean autostart;
    boolean hasManagedSave;
    final TestSnapshots snapshots = new TestSnapshots();

    TestDomainObj(DomainDefinition def, DomainStateReason state) {
        this.def = def;
        this.state = state;
    }

    boolean isActive() {
        return state.isActive();
    }

    /** The definition changes to the config apply to. */
    DomainDefinition persistentDef() {
        return newDef != null ? newDef : def;
    }

    DomainRef ref() {
        return new DomainRef(def.name(), def.uuid(), id);
    }
}
