package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a new user sees first: {@code --help} of every command. */
class CommandHelpTest {

  @Test
  void everyCommandPrintsItsUsageForHelpAndExitsZero() {
    List<String> commands = qualifiedNames(new CommandLine(new TaskerCli()));
    assertThat(commands).contains("tasker submit", "tasker keys generate");

    for (String command : commands) {
      List<String> arguments = new ArrayList<>(List.of(command.split(" ")).subList(1, command.split(" ").length));
      arguments.add("--help");
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int status = new CommandLine(new TaskerCli()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
          .execute(arguments.toArray(String[]::new));

      assertThat(status).as("exit status of %s --help (stderr: %s)", command, err).isZero();
      assertThat(out.toString()).as("%s --help", command).startsWith("Usage: " + command);
      assertThat(err.toString()).as("stderr of %s --help", command).isEmpty();
    }
  }

  private static List<String> qualifiedNames(CommandLine commandLine) {
    List<String> names = new ArrayList<>();
    names.add(commandLine.getCommandSpec().qualifiedName());
    commandLine.getSubcommands().values().forEach(sub -> names.addAll(qualifiedNames(sub)));
    return names;
  }
}
