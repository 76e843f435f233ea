using CbbToolkit.Channels.Stores;
using CbbToolkit.Cli.CommandLine;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Cli.Commands.Pins;

/// <summary>What the pins commands share: --store, --json, the AUTHORITY argument and opening the store.</summary>
internal static class PinsOptions
{
    public static readonly OptionSpec Store = new("--store", "PATH",
        "The pin store file (default $XDG_CONFIG_HOME/cbb/pins.db, or ~/.config/cbb/pins.db).");

    public static readonly OptionSpec Json = new("--json", null, "Print JSON (keys in camelCase) instead of text.");

    public static readonly ArgumentSpec Authority = new("HOST:PORT", "The server authority, e.g. example.org:443 or [2001:db8::1]:443.");

    public const string SecretsNote = "Binding secrets are never printed, in text or JSON.";

    /// <summary>The store path: --store made absolute, or the default.</summary>
    /// <exception cref="UsageException">When --store is not a usable file name.</exception>
    public static string StorePath(ParsedArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var value = arguments.Value(Store.Name);
        if (value is null)
        {
            return PinStoreOptions.DefaultPath;
        }

        var check = new PinStoreOptionsValidator().Validate(null, new PinStoreOptions { Path = value });
        return check.Failed ? throw new UsageException($"{Store.Name}: {check.FailureMessage}") : Path.GetFullPath(value);
    }

    /// <summary>The AUTHORITY argument in canonical form.</summary>
    /// <exception cref="UsageException">When it is not host:port.</exception>
    public static string CanonicalAuthority(ParsedArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var text = arguments.Positionals[0];
        return PinAuthority.TryNormalize(text, out var canonical, out var problem)
            ? canonical
            : throw new UsageException($"'{text}' is not a server authority: {problem}");
    }

    /// <summary>
    /// Opens an existing store (creating nothing); null when there is no file. A store that is open to others or
    /// damaged fails with its typed error, whose message says what to do (exit 1).
    /// </summary>
    public static SqlitePinStore? OpenExisting(string path) =>
        SqlitePinStore.OpenExisting(Options.Create(new PinStoreOptions { Path = path }));

    /// <summary>The failure for a store file that does not exist.</summary>
    public static CommandFailedException NoStore(string path) =>
        new($"there is no pin store at {path}; nothing is pinned yet (or give the right file with {Store.Name} PATH)");
}
