package org.jvirt.vmm.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jvirt.vmm.kvm.Kvm;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Marks a test class that needs a usable /dev/kvm. Each test is skipped with a clear reason
 * when there is none (checked per test, so the skips and their reason show in the report).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresKvm.Check.class)
public @interface RequiresKvm {

    final class Check implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            assumeTrue(Kvm.isPresent(), "skipped: /dev/kvm is missing or not usable (KVM tests need it)");
        }
    }
}
