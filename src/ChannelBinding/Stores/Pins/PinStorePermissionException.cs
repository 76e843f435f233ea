using CbbToolkit.Ipsec;

namespace CbbToolkit.Channels.Stores;

/// <summary>
/// The pin store's file or directory is open to other users (group- or world-writable, or a store file others can
/// read), so its pins could have been planted and its secrets read: the store refuses to open. Error
/// <see cref="IpsecError.PermissionDenied"/>; the message names the path, its mode and the chmod that fixes it.
/// </summary>
public sealed class PinStorePermissionException : ChannelBindingStoreException
{
    /// <summary>Creates the error.</summary>
    public PinStorePermissionException(string path, UnixFileMode mode, string problem)
        : base(IpsecError.PermissionDenied, $"Pin store {path} refused: {problem} (mode {ModeText(mode)}).")
    {
        Path = path;
        Mode = mode;
        Problem = problem;
    }

    /// <summary>The file or directory refused.</summary>
    public string Path { get; }

    /// <summary>Its permission bits.</summary>
    public UnixFileMode Mode { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Problem { get; }

    internal static string ModeText(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
