package org.jvirt.driver.jvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirt.driver.api.Connect;
import org.jvirt.driver.api.Domain;
import org.jvirt.driver.api.DomainInfo.DomainState;
import org.jvirt.driver.api.DomainStateReason;
import org.jvirt.driver.api.DomainStateReason.PausedReason;
import org.jvirt.driver.api.DomainStateReason.RunningReason;
import org.jvirt.driver.api.DomainStateReason.ShutoffReason;
import org.jvirt.driver.api.Flags;
import org.jvirt.driver.spi.ConsoleStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Domains really running in jvirt-vmm processes on KVM (on KVM where /dev/kvm is usable, else on the emulator). */
class JvirtLifecycleKvmTest {

    @TempDir
    Path root;
    private TickerEmbed ticker;

    @BeforeEach
    void setUp() throws Exception {
        ticker = TickerEmbed.open(root, "lifecycle");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ticker != null) ticker.close();
    }

    private String uri() {
        return ticker.uri();
    }

    private static DomainStateReason awaitState(Domain d, DomainState want) throws Exception {
        long end = System.nanoTime() + 15_000_000_000L;
        DomainStateReason s;
        while ((s = d.getState()).state() != want && System.nanoTime() < end) Thread.sleep(50);
        return s;
    }

    @Test
    void defineStartSuspendResumeDestroyUndefine() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("tick", "ticker"));
            assertEquals(DomainStateReason.shutoff(ShutoffReason.UNKNOWN), d.getState());
            d.create();
            assertEquals(DomainStateReason.running(RunningReason.BOOTED), d.getState());
            assertEquals(1, d.getID());
            assertEquals(1, c.listAllDomains(Flags.ListAllDomains.RUNNING).length);
            String live = d.getXMLDesc(0);
            assertTrue(live.startsWith("<domain type='" + JvirtTestSupport.guestVirtType() + "' id='1'>"), live);
            assertTrue(live.contains("<source path='/dev/pts/"), live);
            assertTrue(!d.getXMLDesc(Flags.DomainXml.INACTIVE).contains("id='1'"));
            long cpu0 = d.getInfo().cpuTime;
            Thread.sleep(300);
            assertTrue(d.getInfo().cpuTime > cpu0 || cpu0 > 0, "CPU time does not move");
            assertEquals(65536, d.getInfo().maxMem);
            d.suspend();
            assertEquals(DomainStateReason.paused(PausedReason.USER), d.getState());
            assertEquals(1, c.listAllDomains(Flags.ListAllDomains.PAUSED).length);
            d.resume();
            assertEquals(DomainStateReason.running(RunningReason.UNPAUSED), d.getState());
            d.destroy();
            assertEquals(DomainStateReason.shutoff(ShutoffReason.DESTROYED), d.getState());
            assertEquals(-1, d.getID());
            d.create();
            assertEquals(2, d.getID(), "ids increase like libvirt's");
            d.destroy();
            d.undefine();
            assertEquals(0, c.listAllDomains(0).length);
        }
    }

    @Test
    void aDomainOutlivesTheClientThatStartedIt() throws Exception {
        Path xml = root.resolve("tick.xml");
        Files.writeString(xml, JvirtTestSupport.domainXml("tick", "ticker"));
        Process child = JvirtTestSupport.child("start", uri(), xml, ticker.vmm);
        JvirtTestSupport.kill9(child);
        { Connect c = new Connect(uri());
            Domain d = c.domainLookupByName("tick");
            assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getState().state());
            d.destroy();
            assertEquals(DomainStateReason.shutoff(ShutoffReason.DESTROYED), d.getState());
        }
    }

    @Test
    void aKilledVmmIsShutOffCrashed() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("tick", "ticker"));
            d.create();
            long pid = Long.parseLong(Files.readString(JvirtPaths.embed(root).pidFile("tick")).trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            DomainStateReason s = awaitState(d, DomainState.VIR_DOMAIN_SHUTOFF);
            assertEquals(DomainStateReason.shutoff(ShutoffReason.CRASHED), s);
            assertTrue(!Files.exists(root.resolve("run/tick.xml")), "status file of a dead VMM is removed");
        }
    }

    @Test
    void tickerOutputReachesAConsoleClient() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainCreateXML(JvirtTestSupport.domainXml("tick", "ticker"), 0);
            assertEquals(0, d.isPersistent());
            StringBuilder seen = new StringBuilder();
            try (ConsoleStream console = d.openConsole(null)) {
                InputStream in = console.input();
                byte[] buf = new byte[256];
                long end = System.nanoTime() + 15_000_000_000L;
                while (!seen.toString().contains("tick 3") && System.nanoTime() < end) {
                    int n = in.read(buf);
                    if (n < 0) break;
                    seen.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
                }
            }
            assertTrue(seen.toString().contains("tick 3"), seen.toString());
            d.destroy();
            assertEquals(0, c.listAllDomains(0).length, "a transient domain is gone once stopped");
        }
    }

    @Test
    void autostartDomainsStartOnTheFirstOpenAfterBoot() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("auto", "ticker"));
            d.setAutostart(true);
            assertTrue(d.getAutostart());
            assertTrue(Files.isSymbolicLink(root.resolve("config/autostart/auto.xml")));
        }
        { Connect c = new Connect(uri());
            assertEquals(0, c.domainLookupByName("auto").isActive(), "same boot: no autostart");
        }
        Files.writeString(root.resolve("run/boot-id"), "an-earlier-boot\n");
        { Connect c = new Connect(uri());
            assertEquals(1, c.domainLookupByName("auto").isActive(), "first open after a boot starts it");
        }
    }

    @Test
    void rebootResetsTheGuestAndKeepsTheDomainRunning() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("tick", "ticker"));
            d.create();
            d.reboot(0);
            assertEquals(DomainState.VIR_DOMAIN_RUNNING, d.getState().state());
            Path log = root.resolve("log/tick.log");
            assertTrue(Files.readString(log).contains("--serial pty"), "per-domain log with the VMM command line");
            d.destroy();
        }
    }

    @Test
    void shutdownPressesThePowerButtonAndTheGuestPowersOff() throws Exception {
        { Connect c = new Connect(uri());
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("tick", "ticker"));
            d.create();
            Thread.sleep(300); // let the ticker enable the power button before pressing it
            d.shutdown();
            DomainStateReason s = awaitState(d, DomainState.VIR_DOMAIN_SHUTOFF);
            assertEquals(DomainState.VIR_DOMAIN_SHUTOFF, s.state(), "the ticker powers off on the ACPI power button");
            assertEquals(DomainStateReason.ShutoffReason.SHUTDOWN.ordinal(), s.reason(), "reason: " + s);
        }
    }

    @Test
    void lifecycleEventsReportEveryChangeInOrder() throws Exception {
        { Connect c = new Connect(uri());
            java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            c.addLifecycleListener((dom, ev) -> { seen.add(dom.getName() + " " + ev.type() + " " + ev.detail()); return 0; });
            Domain d = c.domainDefineXML(JvirtTestSupport.domainXml("ev", "ticker"));
            awaitEvents(seen, 1);
            d.create();
            awaitEvents(seen, 2);
            d.suspend();
            awaitEvents(seen, 3);
            d.resume();
            awaitEvents(seen, 4);
            // a change made by another connection is seen too
            { Connect other = new Connect(uri()); other.domainLookupByName("ev").destroy(); }
            awaitEvents(seen, 5);
            d.undefine();
            awaitEvents(seen, 6);
            assertEquals(java.util.List.of("ev DEFINED 0", "ev STARTED 0", "ev SUSPENDED 0", "ev RESUMED 0",
                    "ev STOPPED 1", "ev UNDEFINED 0"), seen);
        }
    }

    private static void awaitEvents(java.util.List<String> seen, int n) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < n && System.nanoTime() < end) Thread.sleep(20);
        assertEquals(n, seen.size(), "events so far: " + seen);
    }
}
