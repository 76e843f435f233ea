using System.Text.Json;
using CbbToolkit.Yarp.Tests.TestSupport;
using Xunit;

namespace CbbToolkit.Yarp.Tests.Identity;

/// <summary>The binding exchange stays on the client-proxy hop: its headers go neither to the backend nor back from it.</summary>
public sealed class BindingHopTests
{
    [Theory]
    [InlineData("/set/x")]
    [InlineData("/plain/x")]
    public async Task ClientBindingHeaders_NotForwarded_BackendBindingHeaders_NotReturned(string path)
    {
        await using var pair = await ProxyPair.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(pair.Proxy.Address, path));
        request.Headers.TryAddWithoutValidation("CBB-Bind", "v=1");
        request.Headers.TryAddWithoutValidation("cbb-resume", "v=1");
        foreach (var header in new[] { "CBB-Challenge: c", "CBB-Plaintext: 10.0.0.1:8080", "CBB-Bind-Result: r", "CBB-Resume-Result: r", "CBB-Error: e" })
        {
            request.Headers.TryAddWithoutValidation("X-Test-Respond", header);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var seen = JsonSerializer.Deserialize<Dictionary<string, string[]>>(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("cbb-bind", seen.Keys);
        Assert.DoesNotContain("cbb-resume", seen.Keys);
        Assert.Contains("x-test-respond", seen.Keys); // the control: other headers do go through
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("CBB-", StringComparison.OrdinalIgnoreCase));
    }
}
