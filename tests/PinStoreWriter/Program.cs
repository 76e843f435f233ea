// PinStoreWriter STORE PREFIX COUNT [GATE]
// Opens the pin store, prints "OPEN", waits until the file GATE exists (when given: the concurrency test starts every
// writer's writes at once), then pins COUNT servers PREFIX-0.test:443 ... one after the other (leap of faith)
// and, after each PinAsync returned, prints "ACK <authority> <binding id> <spki hex> <sha256(secret) hex>". Each line is
// one write(2) of the whole line, so a kill -9 leaves complete lines only. Exit 0 when done, 1 with "ERROR ..." when
// the store refused (the tests treat that as a failure). It also exits when its stdin closes: the test keeps it open,
// so a test host that dies (or is killed) takes its writers with it instead of leaving them writing.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CbbToolkit.Channels;
using CbbToolkit.Channels.Bindings;
using CbbToolkit.Channels.Stores;
using CbbToolkit.Ipsec;
using Microsoft.Extensions.Options;

if (args.Length is not (3 or 4) || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
{
    Console.Error.WriteLine("usage: PinStoreWriter STORE PREFIX COUNT [GATE]");
    return 2;
}

_ = Task.Run(() =>
{
    using var stdin = Console.OpenStandardInput();
    var buffer = new byte[64];
    while (stdin.Read(buffer) > 0)
    {
    }

    Environment.Exit(3);
});

using var stdout = Console.OpenStandardOutput();
void Say(string line) => stdout.Write(Encoding.ASCII.GetBytes(line + "\n"));

try
{
    using var store = new SqlitePinStore(Options.Create(new PinStoreOptions { Path = args[0], BusyTimeout = TimeSpan.FromSeconds(60) }));
    Say("OPEN");
    while (args.Length == 4 && !File.Exists(args[3]))
    {
        await Task.Delay(5);
    }

    var serverIdentity = new IpsecIdentity("server.test", IpsecAuthenticationMethod.PkixTrusted, SHA256.HashData("server ike key"u8));
    for (var i = 0; i < count; i++)
    {
        var authority = $"{args[1]}-{i}.test:443";
        var spki = RandomNumberGenerator.GetBytes(32);
        var secretBytes = RandomNumberGenerator.GetBytes(BindingSecret.Length);
        var now = DateTimeOffset.UtcNow;
        using var record = new ChannelBindingRecord(BindingId.NewId(), BindingProtocolVersion.V1, ChannelRole.Client, new BindingSecret(secretBytes),
            IpsecIdentity.Unauthenticated, serverIdentity, null, spki, authority, now, now.AddDays(1));
        await store.PinAsync(record, allowLeapOfFaith: true);
        Say($"ACK {authority} {record.Id} {Convert.ToHexStringLower(spki)} {Convert.ToHexStringLower(SHA256.HashData(secretBytes))}");
    }
}
catch (ChannelBindingStoreException e)
{
    Say($"ERROR {e.GetType().Name} {e.Message}");
    return 1;
}

return 0;
