using System.Diagnostics.CodeAnalysis;

// CA2000 on IMeterFactory.Create: the factory owns the meters it creates and disposes them with itself.
[assembly: SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "IMeterFactory owns and disposes the meters it creates.", Scope = "member", Target = "~M:CbbToolkit.Kestrel.IpsecChannelMetrics.#ctor(System.Diagnostics.Metrics.IMeterFactory)")]
