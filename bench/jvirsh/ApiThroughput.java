import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Java API throughput: define + create (start) + destroy + undefine of many domains, through
 * jvirt's API on jvirt's test:///default and through libvirt-java 0.5.3 on real libvirt's
 * test:///default, in one JVM, rounds alternating. Run by bench/jvirsh-bench.sh:
 *   java -cp JARS bench/jvirsh/ApiThroughput.java DOMAINS ROUNDS
 * Prints one line per API: the median cycles/s over the rounds.
 */
public class ApiThroughput {

    interface Api {
        void cycle(String xml) throws Exception;
    }

    static String xml(String name) {
        return "<domain type='test'><name>" + name + "</name><memory unit='MiB'>128</memory>"
                + "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>";
    }

    static double round(Api api, String prefix, int n) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) api.cycle(xml(prefix + i));
        return n / ((System.nanoTime() - start) / 1e9);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        org.jvirt.driver.api.Connect jc = new org.jvirt.driver.api.Connect("test:///default");
        Api jvirt = xml -> {
            org.jvirt.driver.api.Domain d = jc.domainDefineXML(xml);
            d.create();
            d.destroy();
            d.undefine();
        };
        org.libvirt.Connect lc = new org.libvirt.Connect("test:///default");
        Api libvirt = xml -> {
            org.libvirt.Domain d = lc.domainDefineXML(xml);
            d.create();
            d.destroy();
            d.undefine();
        };
        // warm-up: JIT for both, and libvirt's first-use costs
        round(jvirt, "warm-j", n);
        round(libvirt, "warm-l", n);
        List<Double> j = new ArrayList<>();
        List<Double> l = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            j.add(round(jvirt, "j" + r + "-", n));
            l.add(round(libvirt, "l" + r + "-", n));
        }
        System.out.printf("jvirt %.0f%n", median(j));
        System.out.printf("libvirt-java %.0f%n", median(l));
        jc.close();
        lc.close();
    }
}
