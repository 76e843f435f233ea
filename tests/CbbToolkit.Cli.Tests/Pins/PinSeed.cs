using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;

namespace CbbToolkit.Cli.Tests.Pins;

/// <summary>A real pin store in a private temporary directory, filled through <see cref="SqlitePinStore"/> itself.</summary>
internal sealed class PinSeed : IDisposable
{
    public static readonly IpsecIdentity ServerIpsec = new("server.test", IpsecAuthenticationMethod.PkixTrusted, SHA256.HashData("server ike key"u8));

    private readonly List<Pinned> _pinned = [];

    public PinSeed() => Directory = System.IO.Directory.CreateTempSubdirectory("cbb-cli-pins-").FullName;

    public string Directory { get; }

    public string StorePath => Path.Combine(Directory, "pins.db");

    public IReadOnlyList<Pinned> Pinned => _pinned;

    /// <summary>Pins each authority (leap of faith) with a random binding; returns what was stored, secret included.</summary>
    public async Task<PinSeed> AddAsync(params string[] authorities)
    {
        using var store = Open();
        foreach (var authority in authorities)
        {
            var spki = RandomNumberGenerator.GetBytes(32);
            var secret = RandomNumberGenerator.GetBytes(BindingSecret.Length);
            var now = DateTimeOffset.UtcNow;
            using var record = new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client, new BindingSecret(secret),
                IpsecIdentity.Unauthenticated, ServerIpsec, null, spki, authority, now, now.AddHours(8));
            await store.PinAsync(record, allowLeapOfFaith: true);
            _pinned.Add(new Pinned(PinAuthority.Normalize(authority), record.Id.ToString(), Convert.ToHexStringLower(spki), secret));
        }

        return this;
    }

    public SqlitePinStore Open() => new(Options.Create(new PinStoreOptions { Path = StorePath, RefreshInterval = TimeSpan.Zero }));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

internal sealed record Pinned(string Authority, string BindingId, string SpkiHex, byte[] Secret);
