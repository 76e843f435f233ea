using System.CommandLine;
using System.CommandLine.Help;

namespace CbbToolkit.Cli.CommandLine;

/// <summary>
/// The root, <c>cbb</c>: the library's help, version option and <c>[suggest]</c> completion directive, with cbb's
/// detail paragraphs in help and its name in <c>--version</c>.
/// </summary>
internal sealed class CbbRootCommand : RootCommand
{
    /// <summary>Creates the root with its command groups.</summary>
    public CbbRootCommand(string description, IEnumerable<Command> groups)
        : base(description)
    {
        ArgumentNullException.ThrowIfNull(groups);
        HelpName = CommandPath.RootName;
        foreach (var option in Options)
        {
            switch (option)
            {
                case HelpOption { Action: HelpAction help } helpOption:
                    helpOption.Action = new CbbHelpAction(help);
                    break;
                case VersionOption version:
                    version.Action = new VersionAction();
                    break;
            }
        }

        foreach (var group in groups)
        {
            Subcommands.Add(group);
        }
    }
}
