package dev.tokenreprice.input;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenreprice.cli.UsageException;
import dev.tokenreprice.testing.FormatRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A mapping file is code the cluster runs: its expressions may call Spark's built-in SQL functions only. */
class MappingFunctionsTest {
  private static String refusal(String yaml) {
    UsageException e = assertThrows(UsageException.class,
        () -> LogFormatParser.parse("mapping:team.yaml", "team.yaml", yaml.getBytes(StandardCharsets.UTF_8),
            Optional.empty()));
    return e.getMessage();
  }

  @Test
  void functionsThatCallJavaAreRefusedWhereverTheyStandNamingTheFileTheFieldAndTheFunction() {
    assertEquals("log format team.yaml: field 'model': \"java_method('java.lang.Runtime', 'getRuntime')\" must call"
        + " Spark's built-in SQL functions only, cannot call: java_method (it runs Java code on the cluster)",
        refusal("fields:\n  model: \"java_method('java.lang.Runtime', 'getRuntime')\"\n"));
    assertEquals("log format team.yaml: let 'x': \"upper(REFLECT('java.lang.System', 'exit', 0))\" must call"
        + " Spark's built-in SQL functions only, cannot call: REFLECT (it runs Java code on the cluster)",
        refusal("let:\n  x: \"upper(REFLECT('java.lang.System', 'exit', 0))\"\nfields:\n  model: \"x\"\n"));
    assertEquals("log format team.yaml: request: \"size(filter(a, i -> try_reflect('C', 'm', i) IS NULL)) > 0\" must"
        + " call Spark's built-in SQL functions only, cannot call: try_reflect (it runs Java code on the cluster)",
        refusal("request: \"size(filter(a, i -> try_reflect('C', 'm', i) IS NULL)) > 0\"\nfields:\n  model: \"m\"\n"));
    assertEquals("log format team.yaml: additional_usage: \"transform(a, i -> named_struct('model', "
        + "java_method('C', 'm')))\" must call Spark's built-in SQL functions only, cannot call: java_method (it runs"
        + " Java code on the cluster)",
        refusal("fields:\n  model: \"m\"\nadditional_usage: \"transform(a, i -> named_struct('model', "
            + "java_method('C', 'm')))\"\n"));
  }

  @Test
  void registeredAndCatalogFunctionsAreRefusedToo() {
    assertEquals("log format team.yaml: field 'model': \"my_udf(m)\" must call Spark's built-in SQL functions only,"
        + " cannot call: my_udf (it is not a Spark built-in function: a registered or catalog function may run any"
        + " code)", refusal("fields:\n  model: \"my_udf(m)\"\n"));
    assertEquals("log format team.yaml: step 'merge-repeated-lines': \"lake.fns.upper(id)\" must call Spark's built-in"
        + " SQL functions only, cannot call: lake.fns.upper (it is not a Spark built-in function: a registered or"
        + " catalog function may run any code)",
        refusal("steps:\n  - merge-repeated-lines: [\"lake.fns.upper(id)\"]\nfields:\n  model: \"m\"\n"));
  }

  @Test
  void everyBuiltInFormatCallsOnlyBuiltInFunctions() throws IOException {
    List<Path> formats;
    try (Stream<Path> files = Files.list(Path.of(FormatRun.REPO, "conf", "formats"))) {
      formats = files.filter(file -> file.toString().endsWith(".yaml")).toList();
    }
    assertEquals(true, formats.size() >= 5, formats.toString());
    for (Path format : formats) {
      assertDoesNotThrow(() -> LogFormatParser.parse(format.getFileName().toString(), format.toString(),
          Files.readAllBytes(format), Optional.empty()), format.toString());
    }
  }
}
