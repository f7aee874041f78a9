package jkeras;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of jkeras-core, checked so that a new cycle or a leaked engine type fails the
 * build: packages mirror Keras' modules, data flows one way (user data, adapter, epoch iterator,
 * trainer, graph), and TensorFlow stays behind the extension API.
 */
class ArchitectureTest {
  /**
   * Where TensorFlow types may appear in public signatures: what custom layers, losses, ... are
   * written against.
   */
  static final List<String> EXTENSION_API =
      List.of(
          "jkeras.backend",
          "jkeras.layers",
          "jkeras.losses",
          "jkeras.metrics",
          "jkeras.optimizers",
          "jkeras.initializers",
          "jkeras.regularizers",
          "jkeras.activations",
          "jkeras.constraints");

  static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("jkeras");
  }

  @Test
  void packagesHaveNoCyclesButKerasOwnCallbackModelPair() {
    // Keras' own pair: a callback holds its model (callback.model), the model runs its callbacks.
    slices()
        .matching("jkeras.(**)")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            JavaClass.Predicates.resideInAPackage("jkeras.callbacks"),
            JavaClass.Predicates.resideInAPackage("jkeras.models"))
        .check(core);
  }

  @Test
  void theTensorFlowGraphIsUsedOnlyByTheModel() {
    classes()
        .that()
        .resideInAPackage("jkeras.internal.graph..")
        .should()
        .onlyHaveDependentClassesThat()
        .resideInAnyPackage("jkeras.internal.graph..", "jkeras.models..")
        .check(core);
  }

  @Test
  void theGraphDependsOnNothingAboveTheTrainerContract() {
    noClasses()
        .that()
        .resideInAPackage("jkeras.internal.graph..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("jkeras.models..", "jkeras.callbacks..", "jkeras.legacy..")
        .check(core);
  }

  @Test
  void theTrainerKnowsNothingOfTensorFlowNorOfTheModelClass() {
    noClasses()
        .that()
        .resideInAnyPackage("jkeras.trainers..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.tensorflow..", "jkeras.internal.graph..", "jkeras.models..")
        .check(core);
  }

  @Test
  void theDistributionApiHoldsSettingsOnly() {
    // Keras' tf.distribute home holds the public settings; the runtime is the engine's.
    noClasses()
        .that()
        .resideInAPackage("jkeras.distribute..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.tensorflow..",
            "jkeras.internal.graph..",
            "jkeras.models..",
            "jkeras.trainers..",
            "jkeras.callbacks..")
        .check(core);
  }

  @Test
  void messagesAndShapesDependOnNoOtherPackage() {
    noClasses()
        .that()
        .resideInAPackage("jkeras.internal")
        .should()
        .dependOnClassesThat(
            JavaClass.Predicates.resideInAPackage("jkeras..")
                .and(
                    DescribedPredicate.not(
                        JavaClass.Predicates.resideInAPackage("jkeras.internal"))))
        .check(core);
  }

  @Test
  void coreHasNoPython() {
    noClasses().should().dependOnClassesThat().resideInAPackage("jep..").check(core);
  }

  @Test
  void noTensorFlowTypeInPublicSignaturesOutsideTheExtensionApi() {
    classes()
        .that()
        .arePublic()
        .and()
        .resideOutsideOfPackages(extensionAndInternal())
        .should(exposeNoTypesFrom("org.tensorflow", "TensorFlow"))
        .check(core);
  }

  @Test
  void noInternalTypeInPublicSignatures() {
    classes()
        .that()
        .arePublic()
        .and()
        .resideOutsideOfPackages("jkeras.internal..")
        .should(exposeNoTypesFrom("jkeras.internal", "jkeras.internal"))
        .check(core);
  }

  private static String[] extensionAndInternal() {
    Set<String> p = new HashSet<>();
    for (String e : EXTENSION_API) p.add(e + "..");
    p.add("jkeras.internal..");
    return p.toArray(String[]::new);
  }

  /**
   * No public or protected member's signature (generics included) names a type of {@code prefix}.
   */
  static ArchCondition<JavaClass> exposeNoTypesFrom(String prefix, String what) {
    return new ArchCondition<>("expose no " + what + " type in a public or protected signature") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (JavaMember m : c.getMembers()) {
          if (!(m.getModifiers().contains(JavaModifier.PUBLIC)
              || m.getModifiers().contains(JavaModifier.PROTECTED))) continue;
          Set<JavaClass> involved = new HashSet<>();
          if (m instanceof JavaField f) involved.addAll(f.getType().getAllInvolvedRawTypes());
          if (m instanceof JavaCodeUnit u) {
            involved.addAll(u.getReturnType().getAllInvolvedRawTypes());
            u.getParameterTypes().forEach(t -> involved.addAll(t.getAllInvolvedRawTypes()));
          }
          for (JavaClass t : involved) {
            if (t.getName().startsWith(prefix + ".")) {
              events.add(
                  SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + t.getName()));
            }
          }
        }
        for (JavaClass s : c.getAllRawInterfaces()) {
          if (s.getName().startsWith(prefix + "."))
            events.add(
                SimpleConditionEvent.violated(c, c.getName() + " implements " + s.getName()));
        }
      }
    };
  }
}
