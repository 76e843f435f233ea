using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.", Scope = "member", Target = "~M:CbbToolkit.Http.Diagnostics.IpsecHttpMetrics.#ctor(System.Diagnostics.Metrics.IMeterFactory)")]
[assembly: SuppressMessage("Usage", "CA2213:Disposable fields should be disposed", Justification = "The latch database is shared by every connection; a stream only releases its own latch.", Scope = "member", Target = "~F:CbbToolkit.Http.Connections.ConnectionStream._latches")]
[assembly: SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The caller owns the socket it gets back and disposes it on failure.", Scope = "member", Target = "~M:CbbToolkit.Http.Connections.IpsecChannelConnector.CreateSocket(System.Net.Sockets.AddressFamily)~System.Net.Sockets.Socket")]
