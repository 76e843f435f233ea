using System.Net.Sockets;
using CbbToolkit.Testing.Processes;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit;

namespace CbbToolkit.Channels.Tests.Stores.Server;

/// <summary>
/// A real redis-server for one test class: started on a unix socket in a private temporary directory (no TCP port, no
/// persistence), stopped and deleted after. Needs the redis-server command (Debian's redis-server; ./run installs it).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cbb-redis-").FullName;
    private ChildProcess? _process;
    private ConnectionMultiplexer? _admin;

    /// <summary>The unix socket redis listens on.</summary>
    public string SocketPath => Path.Combine(_directory, "redis.sock");

    /// <summary>A connection for looking at what the stores wrote (raw values, TTLs).</summary>
    public IDatabase Raw => (_admin ?? throw new InvalidOperationException("redis is not started")).GetDatabase();

    /// <summary>A new RedisCache (its own connection: one "server" of a farm).</summary>
    public RedisCache CreateCache(string instanceName) => new(Options.Create(new RedisCacheOptions
    {
        ConfigurationOptions = Configuration(),
        InstanceName = instanceName,
    }));

    public async ValueTask InitializeAsync()
    {
        var redis = new[] { "/usr/bin/redis-server", "/usr/sbin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: apt-get install redis-server (./run test installs it)");
        _process = ChildProcess.Start(redis,
        [
            "--port", "0", // no TCP listener at all
            "--unixsocket", SocketPath, "--unixsocketperm", "700",
            "--dir", _directory, "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--logfile", "", "--loglevel", "notice",
        ]);
        await _process.WaitForStdoutAsync(line => line.Contains("ready to accept connections", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(30));
        _admin = await ConnectionMultiplexer.ConnectAsync(Configuration());
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        if (_process is not null)
        {
            _process.Signal(15); // SIGTERM: redis shuts down (no save configured)
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(15));
            _process.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private ConfigurationOptions Configuration() => new()
    {
        EndPoints = { new UnixDomainSocketEndPoint(SocketPath) },
        AbortOnConnectFail = true,
        ConnectTimeout = 10_000,
        SyncTimeout = 10_000,
        AsyncTimeout = 10_000,
    };
}
