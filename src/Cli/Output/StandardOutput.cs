using System.Text;

namespace CbbToolkit.Cli.Output;

/// <summary>
/// Standard output with a 64 KiB buffer. <see cref="Console.Out"/> flushes after every write like this writer, but
/// in pieces of its 256-character buffer: 10,000 policies as JSON were some 10,000 write(2) calls, most of the time
/// cbb spent after the dump. This one still flushes after every write (so <c>cbb xfrm monitor</c> prints each event at
/// once), in pieces of up to 64 KiB.
/// </summary>
internal static class StandardOutput
{
    private const int BufferSize = 64 * 1024;

    /// <summary>An auto-flushing UTF-8 writer (no byte order mark) on file descriptor 1; wrap it in <see cref="TextWriter.Synchronized"/> to share it.</summary>
    public static StreamWriter Create() =>
        new(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { AutoFlush = true };
}
