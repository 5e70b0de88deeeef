package org.jvirt.vmm.platform;

import java.util.List;

/** The 8254 PIT: three channels, whether the HPET has taken over its interrupt, and the speaker data bit. */
public record PitState(List<PitChannel> channels, boolean hpetLegacy, boolean speakerDataOn) {
    public PitState {
        if (channels.size() != 3) throw new IllegalArgumentException("the PIT has 3 channels");
        channels = List.copyOf(channels);
    }
}
