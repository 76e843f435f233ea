using System.Reflection;
using CbbToolkit.Ipsec;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// Walks the command tree along the arguments, handles help and version, runs the command, and turns every
/// failure into a message on the error writer and an exit code (<see cref="ExitCodes"/>). Never throws.
/// </summary>
internal sealed class CommandDispatcher(CommandGroup root)
{
    /// <summary>Runs the command line; returns the process exit code.</summary>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Count > 0 && args[0] == "help")
        {
            args = [.. args.Skip(1), "--help"];
        }

        if (args.Count == 1 && args[0] == "--version")
        {
            context.Out.WriteLine($"{root.Name} {Version}");
            return ExitCodes.Success;
        }

        CommandNode node = root;
        var path = root.Name;
        var i = 0;
        while (node is CommandGroup group)
        {
            if (i == args.Count)
            {
                context.Error.WriteLine($"{path}: missing command");
                context.Error.WriteLine();
                HelpWriter.Write(context.Error, path, group, group == root);
                return ExitCodes.Usage;
            }

            var word = args[i++];
            if (word is "-h" or "--help")
            {
                HelpWriter.Write(context.Out, path, group, group == root);
                return ExitCodes.Success;
            }

            var next = group.Find(word);
            if (next is null)
            {
                var what = word.StartsWith('-') ? "option" : "command";
                context.Error.WriteLine($"{path}: unknown {what} '{word}'");
                context.Error.WriteLine($"Usage: {HelpWriter.Usage(path, group)}");
                context.Error.WriteLine($"Run '{path} --help' for the list of commands.");
                return ExitCodes.Usage;
            }

            node = next;
            path = $"{path} {next.Name}";
        }

        var command = (Command)node;
        var commandArgs = args.Skip(i).ToList();
        if (ArgumentParser.IsHelpRequested(commandArgs))
        {
            HelpWriter.Write(context.Out, path, command);
            return ExitCodes.Success;
        }

        try
        {
            var parsed = ArgumentParser.Parse(command, commandArgs);
            return await command.RunAsync(parsed, context).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"{path}: {e.Message}");
            context.Error.WriteLine($"Usage: {HelpWriter.Usage(path, command)}");
            context.Error.WriteLine($"Run '{path} --help' for details.");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            context.Error.WriteLine($"{path}: interrupted");
            return ExitCodes.Interrupted;
        }
        catch (CommandFailedException e)
        {
            context.Error.WriteLine($"{path}: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (IpsecException e)
        {
            context.Error.WriteLine($"{path}: {e.Message} ({e.Error})");
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // The last line of defence: a tool reports, it does not dump a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            context.Error.WriteLine($"{path}: unexpected error: {e.GetType().Name}: {e.Message}");
            context.Error.WriteLine("This is a bug in cbb; please report it with the command line that caused it.");
            return ExitCodes.Failure;
        }
    }

    private static string Version =>
        typeof(CommandDispatcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CommandDispatcher).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
