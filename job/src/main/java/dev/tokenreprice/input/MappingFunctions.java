package dev.tokenreprice.input;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry$;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.expressions.Expression;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * Which functions a mapping file's expressions may call. A mapping handed over by another team is code the
 * job runs on every executor, and Spark SQL can call Java ({@code reflect}, {@code java_method},
 * {@code try_reflect}) and whatever functions a session registered: only Spark's other built-in functions are
 * let through, so a mapping can read records and nothing else.
 */
final class MappingFunctions {
  private static final Set<String> CALLING_JAVA = Set.of("reflect", "java_method", "try_reflect");

  private MappingFunctions() {}

  /** The first function of {@code expression} a mapping may not call, as written. */
  static Optional<String> refused(Expression expression) {
    List<String> refused = new ArrayList<>();
    expression.foreach(node -> {
      if (node instanceof UnresolvedFunction function) {
        List<String> parts = CollectionConverters.asJava(function.nameParts());
        String name = String.join(".", parts);
        String lower = name.toLowerCase(Locale.ROOT);
        boolean builtIn = parts.size() == 1
            && FunctionRegistry$.MODULE$.builtin().functionExists(FunctionIdentifier.apply(lower));
        if (CALLING_JAVA.contains(lower) || !builtIn) {
          refused.add(name);
        }
      }
      return BoxedUnit.UNIT;
    });
    return refused.stream().findFirst();
  }

  /** Why {@code function} is refused, for the message. */
  static String why(String function) {
    return CALLING_JAVA.contains(function.toLowerCase(Locale.ROOT))
        ? "it runs Java code on the cluster"
        : "it is not a Spark built-in function: a registered or catalog function may run any code";
  }
}
