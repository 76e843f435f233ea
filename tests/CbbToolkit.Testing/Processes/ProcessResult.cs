namespace CbbToolkit.Testing.Processes;

/// <summary>How a finished process ended: its exit code and everything it wrote.</summary>
public readonly record struct ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;
}
