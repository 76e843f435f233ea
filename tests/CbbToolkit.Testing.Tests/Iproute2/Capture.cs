namespace CbbToolkit.Testing.Tests.Iproute2;

/// <summary>Reads a file of Iproute2/Captures (copied next to the tests).</summary>
internal static class Capture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Iproute2", "Captures", name));
}
