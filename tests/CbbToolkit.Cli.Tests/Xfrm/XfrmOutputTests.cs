using System.Net;
using System.Text.Json;
using CbbToolkit.Cli.Output;
using CbbToolkit.Ipsec.Xfrm;
using Xunit;

namespace CbbToolkit.Cli.Tests.Xfrm;

/// <summary>
/// The SA output with real key material in the model (the host kernel cannot hold a keyed SA, so the model is built
/// here): names and sizes come out, key octets never do, in JSON, text and monitor lines alike.
/// </summary>
public sealed class XfrmOutputTests
{
    private static readonly byte[] AeadKey = Convert.FromHexString("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4");
    private static readonly byte[] CipherKey = Convert.FromHexString("0badc0de0badc0de0badc0de0badc0de");
    private static readonly byte[] AuthKey = Convert.FromHexString("feedfacecafebeeffeedfacecafebeeffeedfacecafebeeffeedfacecafebeef");

    [Fact]
    public void StateWithKeys_NoKeyOctetsInJsonTextOrEvents()
    {
        var states = new[]
        {
            new XfrmState
            {
                Source = IPAddress.Parse("192.0.2.1"), Destination = IPAddress.Parse("192.0.2.2"), Spi = 0xc0ffee01, RequestId = 3,
                Aead = new XfrmAeadAlgorithm("rfc4106(gcm(aes))", new XfrmKey(AeadKey), 128),
            },
            new XfrmState
            {
                Source = IPAddress.Parse("2001:db8::1"), Destination = IPAddress.Parse("2001:db8::2"), Spi = 0x1000, Mode = XfrmMode.Tunnel,
                Encryption = new XfrmAlgorithm("cbc(aes)", new XfrmKey(CipherKey)),
                Authentication = new XfrmAuthenticationAlgorithm("hmac(sha256)", new XfrmKey(AuthKey), 128),
            },
        };

        var json = XfrmJson.States(states);
        var text = string.Join('\n', XfrmText.States(states));
        var events = string.Join('\n', states.Select(s => XfrmJson.Event(new XfrmStateEvent(XfrmChange.Added, s)) + XfrmText.Event(new XfrmExpireEvent(s, true))));

        foreach (var output in new[] { json, text, events })
        {
            foreach (var key in new[] { AeadKey, CipherKey, AuthKey })
            {
                Assert.DoesNotContain(Convert.ToHexStringLower(key), output, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Convert.ToHexStringLower(key)[..8], output, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(Convert.ToBase64String(key)[..8], output, StringComparison.Ordinal);
            }
        }

        using var parsed = JsonDocument.Parse(json);
        var first = parsed.RootElement[0];
        Assert.Equal(["rfc4106(gcm(aes))"], first.GetProperty("algorithms").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("0xc0ffee01", first.GetProperty("spi").GetString());
        Assert.Equal(["cbc(aes)", "hmac(sha256)"], parsed.RootElement[1].GetProperty("algorithms").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("::/0", parsed.RootElement[1].GetProperty("selector").GetProperty("src").GetString());
        Assert.DoesNotContain("key", json, StringComparison.OrdinalIgnoreCase);
    }
}
