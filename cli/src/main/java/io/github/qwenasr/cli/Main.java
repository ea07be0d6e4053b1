package io.github.qwenasr.cli;

import io.github.qwenasr.QwenAsr;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of the {@code qwen-asr} command (docs/modes.md 1.1–1.7): transcription, or with the
 * {@code download} subcommand the model download ({@link DownloadCommand}), with {@code eval} the
 * accuracy measurement ({@link EvalCommand}, docs/modes.md 13). {@link #run} does all the work and
 * returns the exit status ({@link ExitCodes}), so tests can call it in-process.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Parses {@code args}, runs the transcription and returns the exit status: 0 success (also -h,
     * --version), 1 run failure, 2 usage error, 3 internal error. The transcript goes to {@code out}
     * as UTF-8; status lines and the single "Error: ..." line of a failure go to {@code err}.
     */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        return run(args, stdin, out, err, QwenAsr::load, System.getenv());
    }

    /** {@link #run(String[], InputStream, PrintStream, PrintStream)} with a replaceable model loader. */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err, ModelLoader loader) {
        return run(args, stdin, out, err, loader, System.getenv());
    }

    /**
     * {@link #run(String[], InputStream, PrintStream, PrintStream)} with a replaceable model loader and
     * environment (model cache, HF_ENDPOINT, HF_TOKEN), so tests never touch the real cache or hub.
     */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err, ModelLoader loader,
                   Map<String, String> env) {
        return run(args, stdin, out, err, loader, env, LiveAudio.system());
    }

    /** {@link #run(String[], InputStream, PrintStream, PrintStream, ModelLoader, Map)} with the input devices of {@code audio}. */
    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err, ModelLoader loader,
                   Map<String, String> env, LiveAudio audio) {
        QwenAsrCommand command = new QwenAsrCommand();
        CommandLine cli = configure(new CommandLine(command), out, err)
                .setOverwrittenOptionsAllowed(true)
                .setExpandAtFiles(false);
        Log usageLog = new Log(err, Verbosity.NORMAL);
        cli.setParameterExceptionHandler((e, ignored) -> {
            usageLog.error(parseErrorMessage(e) + seeHelp(e.getCommandLine()));
            return ExitCodes.USAGE;
        });
        // The jobs map their own failures; this catches a bug in the command line handling itself.
        cli.setExecutionExceptionHandler((e, ignoredCli, ignoredParse) -> {
            usageLog.error("internal error: " + e.getClass().getName() + ": " + e.getMessage());
            return ExitCodes.INTERNAL;
        });
        cli.setExecutionStrategy(parsed -> {
            if (parsed.hasSubcommand()) {
                return parsed.subcommand().commandSpec().userObject() instanceof EvalCommand
                        ? eval(parsed, usageLog, out, err) : download(parsed, usageLog, out, err, env);
            }
            if (cli.isUsageHelpRequested()) {
                printHelp(new QwenAsrCommand(), out, err);
                return ExitCodes.OK;
            }
            Integer versionExit = CommandLine.executeHelpRequest(parsed);
            if (versionExit != null) return versionExit;
            CliRequest request;
            try {
                request = command.toRequest();
            } catch (UsageException e) {
                usageLog.error(e.getMessage() + seeHelp(cli));
                return ExitCodes.USAGE;
            }
            return new TranscriptionJob(request, loader, stdin, out, new Log(err, request.verbosity()), env, audio).run();
        });
        return cli.execute(args);
    }

    /** {@code qwen-asr download ...}: the subcommand, with its own help and errors and the same exit codes. */
    private static int download(CommandLine.ParseResult parsed, Log usageLog, PrintStream out, PrintStream err,
                                Map<String, String> env) {
        CommandLine.ParseResult sub = parsed.subcommand();
        CommandLine downloadCli = sub.commandSpec().commandLine();
        if (!parsed.matchedOptions().isEmpty()) {
            usageLog.error("'" + DownloadCommand.NAME + "' comes first: qwen-asr download [model] [options]"
                    + seeHelp(downloadCli));
            return ExitCodes.USAGE;
        }
        if (sub.isUsageHelpRequested()) {
            printHelp(new DownloadCommand(), out, err);
            return ExitCodes.OK;
        }
        DownloadRequest request;
        try {
            request = ((DownloadCommand) downloadCli.getCommand()).toRequest();
        } catch (UsageException e) {
            usageLog.error(e.getMessage() + seeHelp(downloadCli));
            return ExitCodes.USAGE;
        }
        return new DownloadJob(request, env, out, err).run();
    }

    /** {@code qwen-asr eval ...}: accuracy measurement (docs/modes.md 13), with its own help and the same exit codes. */
    private static int eval(CommandLine.ParseResult parsed, Log usageLog, PrintStream out, PrintStream err) {
        CommandLine evalCli = parsed.subcommand().commandSpec().commandLine();
        if (!parsed.matchedOptions().isEmpty()) {
            usageLog.error("'" + EvalCommand.NAME + "' comes first: qwen-asr eval [options]" + seeHelp(evalCli));
            return ExitCodes.USAGE;
        }
        if (parsed.subcommand().isUsageHelpRequested()) {
            printHelp(new EvalCommand(), out, err);
            return ExitCodes.OK;
        }
        EvalRequest request;
        try {
            request = ((EvalCommand) evalCli.getCommand()).toRequest();
        } catch (UsageException e) {
            usageLog.error(e.getMessage() + seeHelp(evalCli));
            return ExitCodes.USAGE;
        }
        return new EvalJob(request, out, new Log(err, request.silent() ? Verbosity.SILENT : Verbosity.NORMAL)).run();
    }

    /** Where the help of the command that failed to parse is. */
    private static String seeHelp(CommandLine failed) {
        Object command = failed == null ? null : failed.getCommand();
        if (command instanceof DownloadCommand) return " (see qwen-asr download --help)";
        if (command instanceof EvalCommand) return " (see qwen-asr eval --help)";
        return " (see qwen-asr --help)";
    }

    /**
     * The help text of {@code command}, rendered with a space between flag and value
     * ("-d <model_dir>"), the form the examples use; the parser itself also takes "--flag=value".
     */
    private static void printHelp(Object command, PrintStream out, PrintStream err) {
        CommandLine forHelp = configure(new CommandLine(command), out, err).setSeparator(" ");
        forHelp.usage(forHelp.getOut());
        forHelp.getOut().flush();
    }

    private static CommandLine configure(CommandLine cli, PrintStream out, PrintStream err) {
        return cli.setUsageHelpWidth(100)
                .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    }

    /**
     * Picocli's message, except that a stray word gets a plainer one than "Unmatched argument at index
     * N", and a value the option's converter refused gets the converter's own message.
     */
    private static String parseErrorMessage(CommandLine.ParameterException e) {
        if (e.getCause() instanceof CommandLine.TypeConversionException t && t.getMessage() != null
                && t.getMessage().startsWith("-")) {
            return t.getMessage();
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.isUnknownOption()) {
            return "unexpected argument" + (u.getUnmatched().size() > 1 ? "s" : "") + ": '"
                    + String.join("' '", u.getUnmatched()) + "'";
        }
        return e.getMessage();
    }
}
