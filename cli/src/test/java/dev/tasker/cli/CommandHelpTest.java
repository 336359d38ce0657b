package dev.tasker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a new user sees first: {@code --help} of every command, and the list of commands. */
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

  @Test
  void everyCommandInAListOfCommandsHasAOneLineSummaryThatIsASentence() {
    for (CommandLine parent : withSubcommands(new CommandLine(new TaskerCli()))) {
      String usage = parent.getUsageMessage(CommandLine.Help.Ansi.OFF);
      List<String> listed = usage.substring(usage.indexOf("Commands:\n") + "Commands:\n".length()).lines()
          .filter(line -> !line.isBlank()).toList();

      assertThat(listed).as("the commands listed by %s --help, one line each", parent.getCommandName())
          .hasSize(parent.getSubcommands().size())
          .allSatisfy(line -> assertThat(line).matches("  [a-z-]+ +[A-Z].*\\."));
    }
  }

  private static List<String> qualifiedNames(CommandLine commandLine) {
    List<String> names = new ArrayList<>();
    names.add(commandLine.getCommandSpec().qualifiedName());
    commandLine.getSubcommands().values().forEach(sub -> names.addAll(qualifiedNames(sub)));
    return names;
  }

  private static List<CommandLine> withSubcommands(CommandLine commandLine) {
    List<CommandLine> parents = new ArrayList<>();
    if (!commandLine.getSubcommands().isEmpty()) {
      parents.add(commandLine);
    }
    commandLine.getSubcommands().values().forEach(sub -> parents.addAll(withSubcommands(sub)));
    return parents;
  }
}
