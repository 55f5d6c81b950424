package dev.tokenreprice.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tokenreprice.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The name given to --table, and what makes an existing table unfit for a run. */
class TableNameTest {
  @Test
  void aNameIsACatalogANamespaceOfOneOrMorePartsAndTheTablesStem() {
    TableName name = TableName.parse("--table", "lake.finance.llm_costs");
    assertEquals("lake", name.catalog());
    assertEquals(List.of("finance"), name.namespace());
    assertEquals("lake.finance.llm_costs_rollup", name.of(RunTable.ROLLUP));
    assertEquals("lake.finance.llm_costs_runs", name.of(RunTable.RUNS));
    assertEquals("glue.analytics.finance.llm_costs_quarantine",
        TableName.parse("--table", "glue.analytics.finance.llm_costs").of(RunTable.QUARANTINE));
  }

  @Test
  void aNameWithoutCatalogAndNamespaceOrWithAPartSqlWouldQuoteIsRefused() {
    for (String bad : List.of("llm_costs", "finance.llm_costs", "lake..llm_costs", "lake.fin-ance.llm_costs",
        "lake.finance.llm costs", "lake.finance.")) {
      UsageException e = assertThrows(UsageException.class, () -> TableName.parse("--table", bad), bad);
      assertEquals("--table must be CATALOG.NAMESPACE.NAME, each part letters, digits and _ (for example"
          + " lake.finance.llm_costs), cannot be: " + bad, e.getMessage());
    }
  }

  @Test
  void aTableDiffersWhereAColumnIsMissingOrOfAnotherTypeNotWhereOnlyOrderOrNullabilityDiffer() {
    StructType run = new StructType().add("day", DataTypes.DateType, false).add("model", DataTypes.StringType)
        .add("total_cost", DataTypes.createDecimalType(38, 12));
    StructType sameInAnotherOrder = new StructType().add("total_cost", DataTypes.createDecimalType(38, 12))
        .add("model", DataTypes.StringType).add("day", DataTypes.DateType, true);
    assertEquals(Optional.empty(), SchemaDifference.between(sameInAnotherOrder, run.asNullable()));
    StructType older = new StructType().add("day", DataTypes.DateType).add("total_cost",
        DataTypes.createDecimalType(38, 6)).add("note", DataTypes.StringType);
    assertEquals(Optional.of("total_cost is decimal(38,6) in the table, decimal(38,12) in this run; not in the table:"
        + " model string; in the table only: note string"), SchemaDifference.between(older, run.asNullable()));
  }

  @Test
  void theIcebergPackageAnErrorNamesIsTheOneTheJobIsBuiltWith() throws IOException {
    String pom = Files.readString(Path.of(System.getProperty("repo.root", ".."), "pom.xml"));
    Matcher version = Pattern.compile("<iceberg.version>([^<]+)</iceberg.version>").matcher(pom);
    assertEquals(true, version.find());
    assertEquals("org.apache.iceberg:iceberg-spark-runtime-4.1_2.13:" + version.group(1), Catalogs.ICEBERG_PACKAGE);
  }
}
