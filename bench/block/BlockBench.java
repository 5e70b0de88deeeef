import java.nio.file.Path;
import java.util.Random;

import org.jvirt.vmm.block.BlockBackend;
import org.jvirt.vmm.block.ImageFormat;
import org.jvirt.vmm.block.chain.DiskImages;

/**
 * One block-backend run, as `qemu-img bench` does one: COUNT requests of SIZE bytes, sequential
 * (each at the previous one's end, wrapping at the disk's end) or random (seeded, SIZE-aligned),
 * reads or writes, queue depth 1, through the host page cache. Prints "ops/s MiB/s".
 * Usage (from bench/block-bench.sh): java -cp vmm-engine/target/classes BlockBench.java IMAGE raw|qcow2 read|write seq|rand SIZE COUNT
 */
public class BlockBench {
    public static void main(String[] a) throws Exception {
        Path image = Path.of(a[0]);
        ImageFormat format = ImageFormat.parse(a[1]);
        boolean write = a[2].equals("write");
        boolean random = a[3].equals("rand");
        int size = Integer.parseInt(a[4]);
        int count = Integer.parseInt(a[5]);
        byte[] buf = new byte[size];
        new Random(1).nextBytes(buf);
        Random r = new Random(2);
        try (BlockBackend d = DiskImages.open(image, format, !write)) {
            long slots = d.capacity() / size;
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long at = (random ? (long) (r.nextDouble() * slots) : i % slots) * size;
                if (write) d.write(at, buf, 0, size);
                else d.read(at, buf, 0, size);
            }
            if (write) d.flush();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%.0f %.1f%n", count / s, count * (double) size / s / (1 << 20));
        }
    }
}
