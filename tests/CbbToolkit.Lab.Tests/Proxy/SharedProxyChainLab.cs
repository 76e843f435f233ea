namespace CbbToolkit.Lab.Tests.Proxy;

/// <summary>
/// One <see cref="ProxyChainLab"/> in its default configuration for the tests of a class that only read from it,
/// started by the first test that asks (after its skip checks: the host has no ESP) and stopped after the last.
/// </summary>
public sealed class SharedProxyChainLab : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ProxyChainLab? _lab;

    internal async Task<ProxyChainLab> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _lab ??= await ProxyChainLab.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        _gate.Dispose();
    }
}
