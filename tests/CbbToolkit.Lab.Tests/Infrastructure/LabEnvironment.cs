namespace CbbToolkit.Lab.Tests.Infrastructure;

/// <summary>
/// Says whether this kernel can carry real ESP. The host kernel of our machines has XFRM but no ESP; the User-Mode Linux
/// guest started by tests/lab/uml/run.sh has it and sets CBB_LAB=uml. Inside that guest a missing ESP is a failure, not a
/// skip: CI runs the lab there so that nothing real is skipped.
/// </summary>
internal static class LabEnvironment
{
    /// <summary>Skips the calling test unless ESP works here; fails it when the lab guest lacks ESP (the shared probe).</summary>
    public static void RequireEsp() => Testing.Capabilities.Esp.Require();
}
