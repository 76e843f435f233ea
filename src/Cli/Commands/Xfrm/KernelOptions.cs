using System.CommandLine;
using CbbToolkit.Cli.CommandLine;
using CbbToolkit.Ipsec;
using CbbToolkit.Ipsec.Xfrm;

namespace CbbToolkit.Cli.Commands.Xfrm;

/// <summary>Options and error wording shared by the commands that read the kernel (<c>cbb xfrm</c>, <c>cbb ipsec</c>).</summary>
internal static class KernelOptions
{
    public static readonly Option<bool> Json = CbbOptions.Flag("--json", "Print JSON (keys in camelCase) instead of aligned text.");
    public static readonly Option<string> Netns = CbbOptions.Text("--netns", "NAME",
        "Work inside the named network namespace (as 'ip netns add' creates it) instead of cbb's own.");

    /// <summary>The paragraph on privileges every kernel command's help ends with.</summary>
    public const string PrivilegeNote =
        "Reading XFRM state needs CAP_NET_ADMIN (in practice: root); --netns also needs CAP_SYS_ADMIN.\n" +
        "Exit codes: 0 done, 1 kernel error (the message says what to do), 2 usage error.";

    /// <summary>The namespace named by --netns, or null.</summary>
    public static string? Namespace(ParseResult parseResult) => parseResult.GetValue(Netns);

    /// <summary>Opens an XFRM client in the namespace --netns names (or cbb's own).</summary>
    public static XfrmClient Open(ParseResult parseResult)
    {
        var ns = Namespace(parseResult);
        return Call(() => XfrmClient.Open(ns), ns);
    }

    /// <summary>Runs a kernel call; a typed kernel error becomes a message that says what to do.</summary>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, string? netns)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (IpsecException e)
        {
            throw Failure(e, netns);
        }
    }

    /// <summary>Runs a synchronous kernel call; see <see cref="CallAsync{T}"/>.</summary>
    public static T Call<T>(Func<T> call, string? netns)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return call();
        }
        catch (IpsecException e)
        {
            throw Failure(e, netns);
        }
    }

    /// <summary>The message cbb prints for a kernel error.</summary>
    public static CommandFailedException Failure(IpsecException e, string? netns)
    {
        ArgumentNullException.ThrowIfNull(e);
        var detail = e.Message.TrimEnd('.');
        return new CommandFailedException(e.Error switch
        {
            IpsecError.PermissionDenied => netns is null
                ? $"needs CAP_NET_ADMIN: run as root ({detail})"
                : $"needs CAP_NET_ADMIN (and CAP_SYS_ADMIN to enter network namespace '{netns}'): run as root ({detail})",
            IpsecError.NotFound when netns is not null =>
                $"{detail}; check the name with 'ip netns list'",
            IpsecError.ProtocolOptionUnavailable =>
                $"{detail}; this kernel has no XFRM netlink interface (CONFIG_XFRM_USER), so there is no IPsec state to show",
            _ => $"{detail} ({e.Error})",
        }, e);
    }
}
