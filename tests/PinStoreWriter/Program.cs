// PinStoreWriter STORE PREFIX COUNT
// Pins COUNT servers PREFIX-0.test:443 ... one after the other (leap of faith) and, after each PinAsync returned,
// prints "ACK <authority> <binding id> <spki hex> <sha256(secret) hex>" on stdout. Exit 0 when done.
using System.Globalization;
using System.Security.Cryptography;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;

if (args.Length != 3 || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
{
    Console.Error.WriteLine("usage: PinStoreWriter STORE PREFIX COUNT");
    return 2;
}

using var store = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = args[0], BusyTimeout = TimeSpan.FromSeconds(60) }));
var serverIdentity = new IpsecIdentity("server.test", IpsecAuthenticationMethod.PkixTrusted, SHA256.HashData("server ike key"u8));
var clientIdentity = IpsecIdentity.Unauthenticated;
for (var i = 0; i < count; i++)
{
    var authority = $"{args[1]}-{i}.test:443";
    var spki = RandomNumberGenerator.GetBytes(32);
    var secretBytes = RandomNumberGenerator.GetBytes(BindingSecret.Length);
    var now = DateTimeOffset.UtcNow;
    using var record = new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client, new BindingSecret(secretBytes),
        clientIdentity, serverIdentity, null, spki, authority, now, now.AddDays(1));
    await store.PinAsync(record, allowLeapOfFaith: true);
    Console.Out.WriteLine($"ACK {authority} {record.Id} {Convert.ToHexStringLower(spki)} {Convert.ToHexStringLower(SHA256.HashData(secretBytes))}");
}

return 0;
