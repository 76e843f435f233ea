using System.CommandLine;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Cli.CommandLine;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Cli.Commands.Pins;

/// <summary>What the pins commands share: --store, --json, the HOST:PORT argument and opening the store.</summary>
internal static class PinsOptions
{
    /// <summary>--store PATH, made absolute; a name that cannot be a store file is a parse error.</summary>
    public static readonly Option<string> Store = CbbOptions.Parsed("--store", "PATH",
        "The pin store file (default $XDG_CONFIG_HOME/cbb/pins.db, or ~/.config/cbb/pins.db).", value => CheckedStorePath(value, "--store"));

    public static readonly Option<bool> Json = CbbOptions.Flag("--json", "Print JSON (keys in camelCase) instead of text.");

    /// <summary>The server authority, in canonical form once parsed.</summary>
    public static Argument<string> CreateAuthority() =>
        CbbOptions.Argument("HOST:PORT", "The server authority, e.g. example.org:443 or [2001:db8::1]:443.", Canonical);

    public const string SecretsNote = "Binding secrets are never printed, in text or JSON.";

    /// <summary>The store path: --store made absolute, or the default.</summary>
    public static string StorePath(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return parseResult.GetValue(Store) ?? PinStoreOptions.DefaultPath;
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

    /// <summary>A pin store path given to <paramref name="option"/>, made absolute; one that cannot be a store file is a usage error.</summary>
    public static string CheckedStorePath(string value, string option)
    {
        var check = new PinStoreOptionsValidator().Validate(null, new PinStoreOptions { Path = value });
        return check.Failed ? throw new UsageException($"{option}: {check.FailureMessage}") : Path.GetFullPath(value);
    }

    private static string Canonical(string text) =>
        PinAuthority.TryNormalize(text, out var canonical, out var problem)
            ? canonical
            : throw new UsageException($"'{text}' is not a server authority: {problem}");
}
