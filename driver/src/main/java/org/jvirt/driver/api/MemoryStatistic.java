package org.jvirt.driver.api;

/** One virDomainMemoryStat: a tag (libvirt's number) and a value. */
public record MemoryStatistic(Tag tag, long value) {

    /** virDomainMemoryStatTags, in libvirt's order; name() lowercased is virsh's label. */
    public enum Tag { SWAP_IN, SWAP_OUT, MAJOR_FAULT, MINOR_FAULT, UNUSED, AVAILABLE, ACTUAL_BALLOON,
        RSS, USABLE, LAST_UPDATE, DISK_CACHES, HUGETLB_PGALLOC, HUGETLB_PGFAIL }
}
