using CbbToolkit.Testing.Iproute2;
using Xunit;

namespace CbbToolkit.Testing.Tests.Iproute2;

/// <summary>The iproute2 parser over text ip printed (Iproute2/Captures), every shape the test suites read.</summary>
public sealed class IpXfrmParserTests
{
    private const string AeadKey = "6cdeb6d1b3a0c54e8f3a77ad21c60ab79e51c2d5";

    [Fact]
    public void Policies_WithStats_EveryField()
    {
        var policies = IpXfrmParser.ParsePolicies(Capture.Read("policy-stats.txt"));

        Assert.Equal(6, policies.Count);
        Assert.Equal(
            new IpXfrmPolicy(new IpXfrmSelector("10.0.0.1/32", "10.0.0.2/32", "tcp", 1234, 80), "in", "allow", 32, 100, "0x5/0xff", 9,
                [new IpXfrmTemplate("0.0.0.0", "0.0.0.0", "ah", 0x1234, 3, "transport", "required")]),
            policies[1]);
        Assert.Equal(new IpXfrmSelector("10.0.0.0/8", "10.0.0.0/8", Device: "lo"), policies[0].Selector);
        // ICMP: ip prints type and code where the kernel keeps them, in the port fields.
        Assert.Equal((new IpXfrmSelector("10.0.0.1/32", "10.0.0.2/32", "icmp", 8, 0), "block", 0), (policies[2].Selector, policies[2].Action, policies[2].Templates.Count));
        Assert.Equal(("fwd", new IpXfrmTemplate("2001:db8::1", "2001:db8::2", "esp", 0, 7, "tunnel", "required")),
            (policies[3].Direction, Assert.Single(policies[3].Templates)));
        Assert.Equal(["comp/use", "esp/required"], policies[4].Templates.Select(t => $"{t.Protocol}/{t.Level}"));
        Assert.True(policies[4].Templates[0].IsOptional);
        Assert.Equal(new IpXfrmSelector("10.1.0.0/24", "10.0.0.0/24", "udp", 53), policies[4].Selector);
        Assert.Equal((new IpXfrmSelector("10.0.0.0/24", "10.1.0.0/24", "tcp", null, 443), 1u, 100u), (policies[5].Selector, policies[5].Index, policies[5].Priority));
        Assert.All(policies, p => Assert.False(p.IsSocketPolicy));
    }

    [Fact]
    public void Policies_WithoutStats_SameButTheIndex()
    {
        var plain = IpXfrmParser.ParsePolicies(Capture.Read("policy.txt"));
        var stats = IpXfrmParser.ParsePolicies(Capture.Read("policy-stats.txt"));

        Assert.All(plain, p => Assert.Equal(0u, p.Index)); // ip prints the index only with -s
        Assert.Equal(stats.Select(p => p with { Index = 0 }), plain);
    }

    [Fact]
    public void SocketPolicies_DirectionSocketInAndOut()
    {
        var policies = IpXfrmParser.ParsePolicies(Capture.Read("socket-policy-stats.txt"));

        Assert.Equal(["socket out", "socket in"], policies.Select(p => p.Direction));
        Assert.All(policies, p =>
        {
            Assert.True(p.IsSocketPolicy);
            Assert.Equal((new IpXfrmSelector("0.0.0.0/0", "0.0.0.0/0"), 9u), (p.Selector, p.Priority));
            Assert.Equal(new IpXfrmTemplate("0.0.0.0", "0.0.0.0", "esp", 0, 42, "transport", "required"), Assert.Single(p.Templates));
        });
        Assert.Equal([12u, 3u], policies.Select(p => p.Index));
    }

    [Fact]
    public void LarvalState_SequenceSelectorWithZeroPortAndDevice()
    {
        var state = Assert.Single(IpXfrmParser.ParseStates(Capture.Read("state-larval-stats.txt")));

        Assert.Equal(
            new IpXfrmState("127.0.0.1", "127.0.0.1", "esp", 0, 42, "transport", 0, 159, null, null, [], null,
                new IpXfrmSelector("127.0.0.1/32", "127.0.0.1/32", "tcp", 0, 42813, "lo"), 30, new IpXfrmCounters(0, 0)),
            state);
        Assert.Equal("src 127.0.0.1/32 dst 127.0.0.1/32 proto tcp sport 0 dport 42813 dev lo", state.Selector.ToString());
    }

    [Fact]
    public void KeyedStates_AlgorithmNamesEncapMarkInterface_NoKeys()
    {
        var text = Capture.Read("state-esp-stats.txt");
        Assert.Contains(AeadKey, text, StringComparison.Ordinal); // ip shows the keys
        var states = IpXfrmParser.ParseStates(text);

        Assert.Equal(3, states.Count);
        Assert.Equal(
            new IpXfrmState("fd00::1", "fd00::2", "esp", 0xc0ffee, 9, "tunnel", 32, 0, "0x1/0xff", 5, ["rfc4106(gcm(aes))"],
                "espinudp sport 4500 dport 4501 addr ::", new IpXfrmSelector("fd00::1/128", "fd00::2/128", "udp", 53), 0, new IpXfrmCounters(0, 0)),
            states[0]);
        Assert.Equal((0x201u, "192.0.2.2", "192.0.2.1"), (states[1].Spi, states[1].Source, states[1].Destination));
        Assert.Equal(["hmac(sha256)", "cbc(aes)"], states[1].Algorithms);
        Assert.Equal((0x101u, 1u, "transport"), (states[2].Spi, states[2].RequestId, states[2].Mode));
        Assert.Equal(new IpXfrmSelector("0.0.0.0/0", "0.0.0.0/0"), states[2].Selector);
        Assert.All(states, s => Assert.DoesNotContain(AeadKey[..8], s.ToString(), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void KeyedStates_WithoutStats_SameButSequenceExpiryAndCounters()
    {
        var plain = IpXfrmParser.ParseStates(Capture.Read("state-esp.txt"));
        var stats = IpXfrmParser.ParseStates(Capture.Read("state-esp-stats.txt"));

        Assert.All(plain, s => Assert.Equal((null, null, null), (s.Sequence, s.HardAddSeconds, s.Current)));
        Assert.Equal(stats.Select(s => s with { Sequence = null, HardAddSeconds = null, Current = null }), plain);
    }

    [Fact]
    public void Counters_BySpi_OnlyWithStats()
    {
        Assert.Equal(new Dictionary<uint, IpXfrmCounters> { [0xc0ffee] = new(0, 0), [0x201] = new(0, 0), [0x101] = new(0, 0) },
            IpXfrmParser.ParseCounters(Capture.Read("state-esp-stats.txt")));

        var e = Assert.Throws<FormatException>(() => IpXfrmParser.ParseCounters(Capture.Read("state-esp.txt")));
        Assert.Contains("ip -s xfrm state", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AeadKey[..8], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Counters_NonZero_ParsedAsPrinted()
    {
        var text = Capture.Read("state-esp-stats.txt").Replace("\t  0(bytes), 0(packets)\n\t  add 2026-12-03 12:48:26 use -\n\tstats:\n\t  replay-window 0 replay 0 failed 0\nsrc 192.0.2.1",
            "\t  1337(bytes), 7(packets)\n\t  add 2026-12-03 12:48:26 use -\n\tstats:\n\t  replay-window 0 replay 0 failed 0\nsrc 192.0.2.1", StringComparison.Ordinal);

        var counters = IpXfrmParser.ParseCounters(text);

        Assert.Equal(new IpXfrmCounters(1337, 7), counters[0x201]);
        Assert.Equal(new IpXfrmCounters(0, 0), counters[0x101]);
    }

    [Theory]
    [InlineData("src 10.0.0.1/32 dst 10.0.0.2/32\n")]                                        // no direction line
    [InlineData("src 10.0.0.1/32 dst 10.0.0.2/32\n\tpriority 3\n")]                          // not "dir"/"socket"
    [InlineData("src 10.0.0.1/32 dst 10.0.0.2/32\n\tdir out priority x ptype main\n")]       // priority not a number
    [InlineData("src 10.0.0.1/32 dst 10.0.0.2/32\n\tdir out priority 1\n\ttmpl src :: dst ::\n")] // template cut off
    public void Policies_Malformed_FormatException(string text) =>
        Assert.Throws<FormatException>(() => IpXfrmParser.ParsePolicies(text));

    [Fact]
    public void States_Malformed_FormatExceptionWithoutTheText()
    {
        var withoutSelector = "src 10.0.0.1 dst 10.0.0.2\n\tproto esp spi 0x00000101 reqid 1 mode transport\n\treplay-window 0\n" +
            $"\taead rfc4106(gcm(aes)) 0x{AeadKey} 128\n";

        var e = Assert.Throws<FormatException>(() => IpXfrmParser.ParseStates(withoutSelector));

        Assert.Contains("no 'sel' line", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AeadKey[..8], e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyText_NoEntries()
    {
        Assert.Empty(IpXfrmParser.ParsePolicies(""));
        Assert.Empty(IpXfrmParser.ParseStates("\n"));
    }
}
