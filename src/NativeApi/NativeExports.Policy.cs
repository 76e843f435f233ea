using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using CbbToolkit.Channels.DraftApi;
using CbbToolkit.Ipsec;

namespace CbbToolkit.NativeApi;

// Draft 2.1.1, 2.1.2 and 2.1.5 as C exports over IpsecApi. No exception may cross the boundary: each body catches.
[SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "No managed exception may reach C.")]
[SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Ownership of a new handle moves to HandleTable; C frees it with the draft's free function.")]
internal static unsafe partial class NativeExports
{
    private const int Einval = (int)IpsecError.InvalidArgument;
    private const int Enomem = (int)IpsecError.OutOfMemory;

    [UnmanagedCallersOnly(EntryPoint = "ipsec_create_policy")]
    private static nint CreatePolicy(uint type)
    {
        try
        {
            return IpsecApi.ipsec_create_policy(type) is { } h ? HandleTable.Shared.Add(HandleKind.Policy, h) : 0;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_free_policy")]
    private static int FreePolicy(nint policy)
    {
        try
        {
            return HandleTable.Shared.Remove<IpsecPolicyHandle>(policy, HandleKind.Policy) is { } h ? IpsecApi.ipsec_free_policy(h) : Einval;
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_get_policy_attr")]
    private static int GetPolicyAttr(nint policy, uint attr_type, uint* attr_len, void** attr_val)
    {
        try
        {
            if (attr_len is null || attr_val is null)
            {
                return Einval;
            }

            *attr_len = 0;
            *attr_val = null;
            var rc = IpsecApi.ipsec_get_policy_attr(HandleTable.Shared.Get<IpsecPolicyHandle>(policy, HandleKind.Policy), attr_type, out var len, out var value);
            return rc != 0 ? rc : Output(value!, len, attr_len, attr_val);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_set_policy_attr")]
    private static int SetPolicyAttr(nint policy, uint attr_type, uint attr_len, void* attr_val)
    {
        try
        {
            if (attr_val is null && attr_len != 0)
            {
                return Einval;
            }

            return IpsecApi.ipsec_set_policy_attr(HandleTable.Shared.Get<IpsecPolicyHandle>(policy, HandleKind.Policy), attr_type, attr_len, new ReadOnlySpan<byte>(attr_val, checked((int)attr_len)));
        }
        catch (Exception)
        {
            return Einval;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_cmp_policy")]
    private static int CmpPolicy(nint p1, nint p2)
    {
        try
        {
            var t = HandleTable.Shared;
            return IpsecApi.ipsec_cmp_policy(t.Get<IpsecPolicyHandle>(p1, HandleKind.Policy), t.Get<IpsecPolicyHandle>(p2, HandleKind.Policy));
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "ipsec_dup_policy")]
    private static int DupPolicy(nint p, nint* p_dup)
    {
        try
        {
            if (p_dup is null)
            {
                return Einval;
            }

            *p_dup = 0;
            var rc = IpsecApi.ipsec_dup_policy(HandleTable.Shared.Get<IpsecPolicyHandle>(p, HandleKind.Policy), out var dup);
            return rc != 0 ? rc : Publish(HandleKind.Policy, dup!, p_dup);
        }
        catch (Exception)
        {
            return (int)IpsecError.InternalError;
        }
    }

    // Hands a new managed handle to C; frees it again when the table is full so nothing leaks.
    private static int Publish(HandleKind kind, IDisposable handle, nint* output)
    {
        var p = HandleTable.Shared.Add(kind, handle);
        if (p == 0)
        {
            handle.Dispose();
            return Enomem;
        }

        *output = p;
        return 0;
    }

    private static int Output(byte[] value, uint len, uint* attr_len, void** attr_val)
    {
        // Copies into malloc'd memory: the caller releases it with free().
        *attr_val = NativeMemoryCopy.ToMalloc(value);
        *attr_len = len;
        return 0;
    }
}
