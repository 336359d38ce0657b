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
      MigrateCommand.class
    })
public final class TaskerCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    int status = new CommandLine(new TaskerCli())
        .setExecutionExceptionHandler(
            (exception, commandLine, parseResult) -> {
              commandLine.getErr().println("tasker " + commandLine.getCommandName() + ": " + exception.getMessage());
              if (System.getenv("TASKER_DEBUG") != null) {
                exception.printStackTrace(commandLine.getErr());
              }
              return 2;
            })
        .execute(args);
    System.exit(status);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
