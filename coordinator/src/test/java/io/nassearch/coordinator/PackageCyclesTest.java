package io.nassearch.coordinator;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's packages form no cycle (each sub-package, e.g. store and store.jdbc, is its own
 * slice).
 */
class PackageCyclesTest {
  @Test
  void coordinatorPackagesAreFreeOfCycles() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.nassearch.coordinator");
    slices().matching("io.nassearch.coordinator.(**)").should().beFreeOfCycles().check(classes);
  }
}
