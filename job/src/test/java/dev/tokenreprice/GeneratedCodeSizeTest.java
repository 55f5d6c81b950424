package dev.tokenreprice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenreprice.cli.LogInput;
import dev.tokenreprice.cli.Period;
import dev.tokenreprice.counterfactual.RequestFacts;
import dev.tokenreprice.counterfactual.ScenarioParser;
import dev.tokenreprice.input.InputFile;
import dev.tokenreprice.input.InputFiles;
import dev.tokenreprice.input.LogFormats;
import dev.tokenreprice.input.LogReader;
import dev.tokenreprice.input.RunSize;
import dev.tokenreprice.ratecard.RateCard;
import dev.tokenreprice.ratecard.RateCardLoader;
import dev.tokenreprice.ratecard.RateCardTables;
import dev.tokenreprice.rollup.UsageAggregation;
import dev.tokenreprice.testing.SharedSpark;
import dev.tokenreprice.validate.Deduplication;
import dev.tokenreprice.validate.Validation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.codegen.ByteCodeStats;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeAndComment;
import org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The pass over the logs compiles to methods the JVM compiles too: HotSpot leaves a method of more than 8,000 bytes of
 * bytecode interpreted, and the pass with the counterfactual's facts once had one of 9,511 bytes, which made a run of
 * 10M rows twice as long. For each built-in format, both in a small run and a large one, with every default
 * scenario's facts: the largest generated method of every whole-stage-code-generated stage of the pass.
 *
 * <p>Two formats' large pass is above it: OTLP spans (8,134 bytes: the spans' explode and attribute maps) and Gemini
 * (10,560: every spelling of every field and the thoughts rules in one stage). For those the job's session sets
 * Spark's hugeMethodLimit to the JVM's, so Spark runs that stage operator by operator instead of interpreted.
 */
class GeneratedCodeSizeTest {
  private static final Path ROOT = Path.of(System.getProperty("repo.root"));
  private static final int JIT_METHOD_LIMIT = 8000;

  @ParameterizedTest
  @ValueSource(strings = {"canonical", "canonical-parquet", "claude-code", "codex", "gemini-cli", "opencode", "anthropic",
      "openai", "bedrock"})
  void everyMethodOfThePassStaysSmallEnoughForTheJit(String format) {
    for (int bytes : largestMethodsOfThePass(format)) {
      assertTrue(bytes <= JIT_METHOD_LIMIT, format + ": a generated method of " + bytes
          + " bytes of bytecode, above the " + JIT_METHOD_LIMIT + " the JVM compiles");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"otel", "gemini"})
  void aPassAboveTheJitsLimitRunsOperatorByOperatorNotInterpreted(String format) {
    List<Integer> sizes = largestMethodsOfThePass(format);
    SparkSession spark = SharedSpark.session();
    int sparkLimit = Integer.parseInt(spark.conf().get("spark.sql.codegen.hugeMethodLimit"));
    for (int bytes : sizes) {
      assertTrue(bytes <= JIT_METHOD_LIMIT || sparkLimit <= JIT_METHOD_LIMIT, format + ": a generated method of "
          + bytes + " bytes would run interpreted: Spark's hugeMethodLimit is " + sparkLimit);
    }
  }

  /** The largest generated method of each stage of the pass over {@code format}'s sample, small run and large. */
  private static List<Integer> largestMethodsOfThePass(String format) {
    SparkSession spark = SharedSpark.session();
    // The job's session settings shape its code (ICU case mappings off, for one): compile the plan it runs.
    RepriceJob.configure(spark);
    // The job's session settings shape its code (ICU case mappings off, for one): compile the plan it runs.
    RepriceJob.configure(spark);
    RateCard card = RateCardLoader.load(ROOT.resolve("conf/rate-card.yaml").toString(),
        spark.sparkContext().hadoopConfiguration());
    String logFormat = format.startsWith("canonical") ? "canonical" : format;
    String input = format.equals("canonical") ? "sample-data/logs/jsonl"
        : format.equals("canonical-parquet") ? "sample-data/logs/parquet" : "sample-data/formats/" + format;
    List<InputFile> files = InputFiles.list(List.of(new LogInput(ROOT.resolve(input).toString(), logFormat,
            Optional.empty())), Optional.empty(), spark.sparkContext().hadoopConfiguration(),
        new LogFormats(spark.sparkContext().hadoopConfiguration()), spark).read();
    List<Integer> sizes = new ArrayList<>();
    for (RunSize size : RunSize.values()) {
      RateCardTables tables = RateCardTables.of(card, spark, size);
      RequestFacts facts = RequestFacts.of(ScenarioParser.forRun(Optional.empty(), card, Period.ALL_DAYS), tables);
      Dataset<Row> pass = UsageAggregation.byStatusAndPrice(Validation.statusOfEachRow(
              size.forThePass(LogReader.read(spark, files)), tables, Period.ALL_DAYS,
              size == RunSize.SMALL ? Deduplication.Plan.RANK_IN_PASS : Deduplication.Plan.NONE),
          facts.rowValues(), facts.keys(), facts.sums());
      sizes.addAll(largestMethods(pass.queryExecution().executedPlan()));
    }
    return sizes;
  }

  /** The largest method of each whole-stage-code-generated stage of the plan, compiled as Spark compiles it. */
  private static List<Integer> largestMethods(SparkPlan plan) {
    List<Integer> sizes = new ArrayList<>();
    if (plan instanceof WholeStageCodegenExec stage) {
      Tuple2<?, CodeAndComment> code = stage.doCodeGen();
      Tuple2<?, ByteCodeStats> compiled = CodeGenerator.compile(code._2());
      sizes.add(compiled._2().maxMethodCodeSize());
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      sizes.addAll(largestMethods(child));
    }
    return sizes;
  }
}
