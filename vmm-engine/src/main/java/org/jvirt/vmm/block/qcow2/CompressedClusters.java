package org.jvirt.vmm.block.qcow2;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads compressed clusters (qcow2.txt, "Compressed Clusters Descriptor"): raw deflate (zlib
 * compression type, no zlib header) that must inflate to exactly one cluster. The last cluster
 * inflated is kept, since guests read a cluster in several requests.
 */
final class CompressedClusters {

    private final ImageFile file;
    private final int clusterBits;
    private final byte[] input;
    private final byte[] output;
    private final Inflater inflater = new Inflater(true);
    private long cachedEntry = -1;

    CompressedClusters(ImageFile file, int clusterBits) {
        this.file = file;
        this.clusterBits = clusterBits;
        // a compressed cluster may not be larger than the cluster itself plus a sector of slack
        this.input = new byte[(1 << clusterBits) + 1024];
        this.output = new byte[1 << clusterBits];
    }

    /** The inflated cluster the L2 entry describes (a shared buffer, valid until the next call). */
    byte[] cluster(long entry) throws IOException {
        if (entry == cachedEntry) return output;
        long off = L2Entry.compressedOffset(entry, clusterBits);
        long len = Math.min(L2Entry.compressedLength(entry, clusterBits), input.length);
        len = Math.min(len, file.size() - off);
        if (len <= 0) throw Qcow2Exception.corrupt(file.path(), "compressed cluster at offset " + off + " lies past the end of the file");
        cachedEntry = -1;
        file.readData(off, input, 0, (int) len);
        inflater.reset();
        inflater.setInput(input, 0, (int) len);
        int n = 0;
        try {
            while (n < output.length) {
                int got = inflater.inflate(output, n, output.length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) break;
                n += got;
            }
        } catch (DataFormatException e) {
            throw Qcow2Exception.corrupt(file.path(), "compressed cluster at offset " + off + " does not inflate: " + e.getMessage());
        }
        if (n != output.length) {
            throw Qcow2Exception.corrupt(file.path(), "compressed cluster at offset " + off + " inflates to " + n + " bytes, not " + output.length);
        }
        cachedEntry = entry;
        return output;
    }

    /** Host clusters the compressed data touches: [first, first+count) in cluster indexes. */
    long firstCluster(long entry) {
        return L2Entry.compressedOffset(entry, clusterBits) >>> clusterBits;
    }

    int clusterCount(long entry) {
        long off = L2Entry.compressedOffset(entry, clusterBits);
        long end = off + L2Entry.compressedLength(entry, clusterBits) - 1;
        return (int) ((end >>> clusterBits) - (off >>> clusterBits) + 1);
    }

    void invalidate() {
        cachedEntry = -1;
    }

    void close() {
        inflater.end();
    }
}
