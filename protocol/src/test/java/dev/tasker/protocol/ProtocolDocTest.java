package dev.tasker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/protocol.md is what porters follow: each field table there lists exactly the fields of the
 * record the codecs read, at the same level (a field put on the wrong table sends a porter's
 * messages to a "required field is missing").
 */
class ProtocolDocTest {

  private static final Path DOC = Path.of("..", "docs", "protocol.md");

  static Stream<Arguments> fieldTables() {
    List<Arguments> tables = new ArrayList<>();
    for (MessageType type : MessageType.values()) {
      tables.add(Arguments.of("### " + type.wireName() + " (", type.bodyType()));
    }
    tables.add(Arguments.of("Each step:", StepExecutionRequest.class));
    tables.add(Arguments.of("Error:", StepError.class));
    tables.add(Arguments.of("Each summary:", StepSummary.class));
    return tables.stream();
  }

  @ParameterizedTest(name = "the table under \"{0}\" lists the fields of {1}")
  @MethodSource("fieldTables")
  void each_field_table_lists_exactly_the_fields_the_codec_reads(String heading, Class<?> record)
      throws IOException {
    assertThat(tableFields(Files.readAllLines(DOC), heading)).as("fields of the table under \"%s\"", heading)
        .containsExactlyInAnyOrderElementsOf(wireFields(record));
  }

  /** The first-column names of the first table after the line starting with {@code heading}. */
  private static Set<String> tableFields(List<String> lines, String heading) {
    int at = 0;
    while (!lines.get(at).startsWith(heading)) {
      at++;
    }
    while (!lines.get(at).startsWith("| Field ")) {
      at++;
    }
    Set<String> fields = new LinkedHashSet<>();
    for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) {
      String name = lines.get(at).split("\\|")[1].trim().replace("`", "");
      // metadata.attempt and the like: rows of a nested object, named by its field.
      fields.add(name.contains(".") ? name.substring(0, name.indexOf('.')) : name);
    }
    return fields;
  }

  private static List<String> wireFields(Class<?> record) {
    var snakeCase = new PropertyNamingStrategies.SnakeCaseStrategy();
    return Arrays.stream(record.getRecordComponents())
        .filter(component -> !component.getAccessor().isAnnotationPresent(JsonIgnore.class))
        .map(component -> snakeCase.translate(component.getName()))
        .toList();
  }
}
