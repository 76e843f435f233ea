using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The pin store file, or one pin in it, is damaged (truncated, overwritten, not a pin store, a pin that does not
/// parse). The store never treats a damaged pin as absent (that would allow a new leap of faith to whoever answers):
/// lookups of it fail with this error until the pin is removed. The file itself is never rewritten or deleted by the
/// store; <see cref="Recovery"/> says what to do. Error <see cref="IpsecError.BadMessage"/>.
/// </summary>
public sealed class PinStoreCorruptException : ChannelBindingStoreException
{
    /// <summary>Creates the error.</summary>
    /// <param name="path">The store file.</param>
    /// <param name="authority">The damaged pin's authority, or null when the file as a whole is damaged.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public PinStoreCorruptException(string path, string? authority, string problem, Exception? innerException = null)
        : base(IpsecError.BadMessage, Compose(path, authority, problem), innerException)
    {
        Path = path;
        Authority = authority;
        Problem = problem;
    }

    /// <summary>The store file.</summary>
    public string Path { get; }

    /// <summary>The damaged pin's authority, or null when the whole file is damaged.</summary>
    public string? Authority { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>How to recover.</summary>
    public string Recovery => RecoveryText(Path, Authority);

    private static string Compose(string path, string? authority, string problem) =>
        authority is null
            ? $"Pin store {path} is damaged: {problem}. {RecoveryText(path, null)}"
            : $"The pin of {authority} in {path} is damaged: {problem}. {RecoveryText(path, authority)}";

    private static string RecoveryText(string path, string? authority) =>
        authority is null
            ? $"The file was left as it is. Move it aside (mv {path} {path}.damaged, with its -wal and -shm files), salvage " +
              $"what parses with `sqlite3 {path}.damaged .recover | sqlite3 {path}` if you have sqlite3, or start empty: servers are then pinned again on first contact."
            : $"Remove it (cbb pins remove {authority} --store {path}); the server is then pinned again on its next first contact.";
}
