namespace CbbToolkit.Testing.Capabilities;

/// <summary>
/// Whether the tests run inside the User-Mode Linux guest of tests/lab/uml/run.sh (it sets CBB_LAB=uml). There the
/// kernel has ESP and everything is installed, so whatever a test needs is a failure when missing, never a skip.
/// </summary>
public static class LabGuest
{
    /// <summary>True inside the lab guest.</summary>
    public static bool IsActive => Environment.GetEnvironmentVariable("CBB_LAB") == "uml";
}
