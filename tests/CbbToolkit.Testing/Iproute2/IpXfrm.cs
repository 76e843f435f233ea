using CbbToolkit.Testing.Processes;

namespace CbbToolkit.Testing.Iproute2;

/// <summary>Reads a network namespace's XFRM policies and SAs with <c>ip -s xfrm</c>, parsed by <see cref="IpXfrmParser"/>.</summary>
public static class IpXfrm
{
    /// <summary>The namespace's policies (<c>ip -n NS -s xfrm policy</c>).</summary>
    public static IReadOnlyList<IpXfrmPolicy> Policies(string netns) =>
        IpXfrmParser.ParsePolicies(Tool.Run("ip", "-n", netns, "-s", "xfrm", "policy"));

    /// <summary>The namespace's SAs without their keys (<c>ip -n NS -s xfrm state</c>).</summary>
    public static IReadOnlyList<IpXfrmState> States(string netns) =>
        IpXfrmParser.ParseStates(Tool.Run("ip", "-n", netns, "-s", "xfrm", "state"));

    /// <summary>The counters of every SA in the namespace, by SPI.</summary>
    public static Dictionary<uint, IpXfrmCounters> Counters(string netns) =>
        IpXfrmParser.ParseCounters(Tool.Run("ip", "-n", netns, "-s", "xfrm", "state"));
}
