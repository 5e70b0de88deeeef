package org.jvirt.vmm.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;

/** query-blockstats's answer: a JSON array of {@link BlockStats}, in the order of the disks. */
public record BlockStatsList(List<BlockStats> disks) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public BlockStatsList {
        disks = List.copyOf(disks);
    }

    @JsonValue
    public List<BlockStats> disks() {
        return disks;
    }
}
