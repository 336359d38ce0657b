package dev.tasker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tasker} command. */
@Command(
    name = "tasker",
    mixinStandardHelpOptions = true,
    version = "tasker 0.1.0",
    description = "Tasker for Java: polyglot workflow orchestration over PostgreSQL and ZeroMQ.",
    subcommands = {
      DemoCommand.class,
      OrchestratorCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      BenchCommand.class,
      ChaosCommand.class,
      ConformanceCommand.class,
      DeadLettersCommand.class,
      RetryStepCommand.class,
      ResolveStepCommand.class,
      CancelTaskCommand.class,
      MigrateCommand.class,
      KeysCommand.class
    })
public final class TaskerCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    String problem = logFormatProblem(System.getProperty(LOG_FORMAT, System.getenv(LOG_FORMAT)));
    if (problem != null) {
      System.err.println("tasker: " + problem);
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }

  /** Names the log format (logback.xml reads it): {@code text} (the default) or {@code json}. */
  static final String LOG_FORMAT = "TASKER_LOG_FORMAT";

  /** What is wrong with a {@link #LOG_FORMAT} value, or {@code null} when it is unset or valid. */
  static String logFormatProblem(String value) {
    if (value == null || value.equals("text") || value.equals("json")) {
      return null;
    }
    // An unknown value would name no appender, and Logback would then print nothing at all.
    return LOG_FORMAT + " must be text or json but was '" + value + "'";
  }

  /** The {@code tasker} command line, reporting a failed command as {@link #report} does. */
  static CommandLine commandLine() {
    return new CommandLine(new TaskerCli()).setExecutionExceptionHandler(TaskerCli::report);
  }

  /**
   * Prints a failed command's message on its error stream, after the innermost cause when its
   * message does not already include that (and the stack trace with TASKER_DEBUG set).
   *
   * @return the exit status, 2
   */
  static int report(Exception exception, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String prefix = commandLine.getCommandSpec().qualifiedName() + ": ";
    String cause = rootCauseNotShown(exception);
    if (cause != null) {
      // A wrapped failure (a pool timing out, a migration failing) names the symptom
      // first and the reason (a refused password, a missing database) last.
      commandLine.getErr().println(prefix + cause);
    }
    commandLine.getErr().println(prefix + exception.getMessage());
    if (exception instanceof dev.tasker.client.TaskerApiException api && api.status() == 401) {
      commandLine.getErr().println(prefix + "pass an API token with --token TOKEN or TASKER_API_TOKEN");
    }
    if (System.getenv("TASKER_DEBUG") != null) {
      exception.printStackTrace(commandLine.getErr());
    }
    return 2;
  }

  /** The innermost cause's message, when the exception's own first line does not include it. */
  static String rootCauseNotShown(Throwable exception) {
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (root == exception || message == null || message.isBlank()) {
      return null;
    }
    String own = exception.getMessage() == null ? "" : exception.getMessage();
    String firstLine = own.lines().findFirst().orElse("");
    String rootFirstLine = message.lines().findFirst().orElse(message).trim();
    return firstLine.contains(rootFirstLine) ? null : rootFirstLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
